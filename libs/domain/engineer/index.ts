export * from './engineer.types';
export * from './engineer.commands';
export * from './engineer.events';
export * from './engineer.state';
export * from './engineer.decider';
