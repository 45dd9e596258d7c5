/** `mixcoatl/automation`. */
export {};
