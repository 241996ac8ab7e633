/** DI tokens of the outside resources (interfaces have no runtime class to inject by). */
export const EVENT_STORE = Symbol('EVENT_STORE');
export const READ_MODEL_SQL = Symbol('READ_MODEL_SQL');
