/** `mixcoatl/platform`. */
export {};
