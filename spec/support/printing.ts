/** What `fn` returns and what it writes to stdout meanwhile (pprint prints), as a list of texts. */
export function printing(fn: () => string): string[] {
  const printed: string[] = [];
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string) => {
    printed.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
  try {
    printed.push(fn());
  } finally {
    process.stdout.write = write;
  }
  return printed;
}
