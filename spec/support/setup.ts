import 'reflect-metadata';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The journal of every request the specs send goes to a temporary directory, never the default one.
process.env.MIXCOATL_JOURNAL_DIR ??= mkdtempSync(join(tmpdir(), 'mixcoatl-journal-'));
