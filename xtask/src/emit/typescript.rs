//! TypeScript emitter (being written).
