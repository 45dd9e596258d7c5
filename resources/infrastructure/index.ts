/**
 * Servers, volumes, snapshots, machine images and server products.
 * @module mixcoatl/infrastructure
 */
/// <reference types="node" preserve="true" />
/** `mixcoatl/infrastructure`: servers, volumes, snapshots, machine images, server products. */
export { MachineImage, type MachineImageStatus, type DescribeImageInput, type DeleteOptions } from './machine-image.js';
export { Server, type ServerStatus, type LaunchAttributes, type TerminateOptions, type StopOptions, type DescribeServerInput, type ProvisionUserOptions } from './server.js';
export { ServerProduct } from './server-product.js';
export { Snapshot, type SnapshotStatus, type DescribeSnapshotInput, type DeleteSnapshotOptions } from './snapshot.js';
export { Volume, type AttachOptions, type DescribeVolumeInput, type DeleteVolumeOptions, type SnapshotInput } from './volume.js';
export { serversIn, findServer, searchImages, type Place, type ImageSearch } from './lookups.js';
