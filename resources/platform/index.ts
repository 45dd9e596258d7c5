/**
 * Relational databases, their products and object storage.
 * @module mixcoatl/platform
 */
/// <reference types="node" preserve="true" />
/** `mixcoatl/platform`: relational databases, their products, object storage. */
export { RelationalDatabase, type DeleteDatabaseOptions } from './relational-database.js';
export { RelationalDatabaseProduct } from './relational-database-product.js';
export { StorageObject } from './storage-object.js';
