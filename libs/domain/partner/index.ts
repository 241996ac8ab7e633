export * from './programme-contract';
export * from './partner.commands';
export * from './partner.events';
export * from './partner.state';
export * from './partner.decider';
