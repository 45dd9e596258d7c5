/** `mixcoatl/infrastructure`: servers, volumes, snapshots, machine images, server products. */
export { Server } from './server.js';
