#!/usr/bin/env node
import { runTool } from '../lib/cli/bin.js';

await runTool('dcm-attach-volume');
