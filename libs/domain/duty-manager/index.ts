export * from './duty-manager.commands';
export * from './duty-manager.events';
export * from './duty-manager.decider';
