/** The types of what eslint.config.js exports besides the configuration (read by spec/lib/layers.spec.ts). */

/** A layer of lib/: its name and the folders and files it holds (`./lib/http`, `./lib/errors.ts`). */
export interface Layer {
  readonly name: string;
  readonly paths: readonly string[];
}

/** The layers of lib/, lowest first. */
export declare const LAYERS: readonly Layer[];
/** The emulator's folder, which stands apart from the layers. */
export declare const EMULATOR: string;
/** The ESLint configuration. */
declare const config: unknown;
export default config;
