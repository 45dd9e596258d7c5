#!/usr/bin/env node
import { runTool } from '../lib/cli/bin.js';

await runTool('dcm-update-volume-billing-code');
