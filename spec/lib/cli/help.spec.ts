/**
 * Help that helps: every flag of every command's --help has a description, required filters and
 * arguments are marked, list --help names the filters the registry declares, and dcm --help
 * documents every top-level command.
 */
import { dispatchTool } from '../../../lib/cli/bin.js';
import { cliResources } from '../../../lib/cli/catalog.js';
import { commandNames } from '../../../lib/cli/registry.js';
import { verbsOf } from '../../../lib/cli/commands/resource.js';
import { loadResources } from '../../../lib/cli/load-resources.js';
import { fakeIO } from './fake-io.js';

async function help(tool: string, argv: string[]): Promise<string> {
  const io = fakeIO({ env: {} });
  const code = await dispatchTool(tool, [...argv, '--help'], io);
  expect({ argv, code, stderr: io.stderr.text }).toEqual({ argv, code: 0, stderr: '' });
  return io.stdout.text;
}

/** Flag lines (`  -f, --filter K=V   text`) without a description after the flag. */
function undescribed(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => /^\s+(?:-\w, )?--[\w-]+/.test(line))
    .filter((line) => !/^\s+(?:-\w, )?--[\w-]+(?: \S+)?\s{2,}\S/.test(line));
}

beforeAll(async () => {
  await loadResources({ stderr: { write: () => true } });
});

describe('--help', () => {
  it('describes every flag of every resource verb', async () => {
    const missing: string[] = [];
    for (const resource of cliResources()) {
      for (const verb of verbsOf(resource)) {
        for (const line of undescribed(await help('dcm', [resource.command, verb]))) missing.push(`dcm ${resource.command} ${verb}: ${line.trim()}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('describes every flag of the other commands and the raw tools', async () => {
    const missing: string[] = [];
    for (const argv of [['check'], ['configure'], ['console'], ['api-versions']]) {
      for (const line of undescribed(await help('dcm', argv))) missing.push(`dcm ${argv.join(' ')}: ${line.trim()}`);
    }
    for (const tool of ['dcm-get', 'dcm-post', 'dcm-put', 'dcm-delete', 'dcm-head']) {
      for (const line of undescribed(await help(tool, []))) missing.push(`${tool}: ${line.trim()}`);
    }
    expect(missing).toEqual([]);
  });

  it('list --help lists every declared filter with its type and purpose, required ones marked', async () => {
    const products = await help('dcm', ['relational-database-product', 'list']);
    expect(products).toMatch(/^Usage: dcm relational-database-product list --filter regionId=… --filter engine=…/);
    expect(products).toMatch(/^ {2}regionId +id +products offered in this region \(required\)$/m);
    expect(products).toMatch(/^ {2}engine +string +the database engine, e\.g\. MYSQL, ORACLE11G \(required\)$/m);
    const networks = await help('dcm', ['network', 'list']);
    expect(networks).toMatch(/^ {2}dataCenterId +id +networks in this data center \(one of regionId, dataCenterId, accountId is required\)$/m);
    expect(networks).toMatch(/^ {2}activeOnly +boolean +active networks only$/m);
    const analytics = await help('dcm', ['server-analytics', 'list']);
    expect(analytics).toMatch(/^ {2}serverId +id +the server whose data to read \(required\)$/m);
    expect(await help('dcm', ['server', 'list'])).toMatch(/^ {2}regionId +id +servers of this region$/m);
    expect(await help('dcm', ['job', 'list'])).toMatch(/^Filters: none/m);
  });

  it('action --help marks positional arguments as required and says what each option takes', async () => {
    const attach = await help('dcm', ['volume', 'attach']);
    expect(attach).toMatch(/^Usage: dcm volume attach <volumeId> <server> \[--deviceId …\] \[--wait\]$/m);
    expect(attach).toMatch(/^ {2}<server> +required: server of attach\(\): Server identifier$/m);
    const launch = await help('dcm', ['server', 'launch']);
    expect(launch).toMatch(/--dataCenter VALUE +dataCenter of the new Server: DataCenter identifier$/m);
  });

  it('dcm --help documents every top-level command, job wait and --wide', async () => {
    const text = await help('dcm', []);
    for (const command of commandNames()) expect({ command, documented: text.includes(`dcm ${command}`) }).toEqual({ command, documented: true });
    expect(text).toMatch(/^ {2}dcm resources +list the resource names/m);
    expect(text).toContain('dcm job wait <jobId>');
    expect(text).toContain('--wide');
  });
});
