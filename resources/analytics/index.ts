/** `mixcoatl/analytics`. */
export {};
