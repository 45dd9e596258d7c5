// Handles failures with the typed errors, tunes retries, and shows them at work against a deliberately flaky emulator.
import {
  configure, configureJobs, DcmError, Endpoint, JobFailedError, NotFoundError, RateLimitError,
  Server, ServerError, TimeoutError, ValidationError, Volume,
} from 'mixcoatl';
import { startEmulator } from 'mixcoatl/emulator';

configureJobs({ intervalMs: 1_000 });
// Reads (GET, HEAD) are retried on network errors, timeouts, 429 and 5xx; POST never is.
configure({ retry: { limit: 5, baseDelayMs: 100, maxDelayMs: 2_000 } });

// 1. An unknown id: NotFoundError, with the status and the API's own message.
try {
  await Server.get(999999999);
} catch (error) {
  if (!(error instanceof NotFoundError)) throw error;
  console.log(`1. ${error.name} ${error.statusCode} (${error.code}): ${error.message}`);
}

// 2. Invalid input is refused before anything is sent, with every problem listed.
const volume = Object.assign(new Volume(), { name: 'data' });
try {
  await volume.save();
} catch (error) {
  if (!(error instanceof ValidationError)) throw error;
  console.log(`2. ${error.name}: ${error.problems.join('; ')}`);
}

// 3. A job that ends in ERROR rejects with JobFailedError carrying the job and its message.
//    (The emulator fails any job whose server name starts with "fail-".)
try {
  await Server.launch(
    { name: 'fail-web-1', description: 'doomed', budget: 10287, providerProductId: 'm1.small', machineImage: 283735, dataCenter: 64716 },
    { wait: true },
  );
} catch (error) {
  if (!(error instanceof JobFailedError)) throw error;
  console.log(`3. ${error.name}: job ${error.jobId} says "${error.message}"`);
}

// 4. Every waiter has a timeout; an AbortSignal stops one early.
const server = await Server.get(331810);
try {
  await server.waitFor('TERMINATED', { timeoutMs: 1_500, intervalMs: 500 });
} catch (error) {
  if (!(error instanceof TimeoutError)) throw error;
  console.log(`4. ${error.name}: ${error.message}`);
}

// 5. Retries at work: a private emulator where 30% of reads fail with 503, 429 or a reset.
const flaky = await startEmulator({
  port: 0,
  seed: 7,
  faults: [
    { path: 'infrastructure/**', methods: ['GET'], status: 503, rate: 0.1 },
    { path: 'infrastructure/**', methods: ['GET'], status: 429, retryAfter: 0, rate: 0.1 },
    { path: 'infrastructure/**', methods: ['GET'], reset: true, rate: 0.1 },
  ],
});
try {
  const endpoint = new Endpoint({ url: flaky.url, accessKey: flaky.accessKey, secretKey: flaky.secretKey });
  let ok = 0;
  for (let i = 0; i < 20; i++) {
    try {
      await Server.get(331810, { endpoint }); // always one read (plus its retries)
      ok += 1;
    } catch (error) {
      // What is left after the retries is still typed: decide by class, or by the stable `code`.
      if (error instanceof RateLimitError) console.log(`   rate limited, retry after ${error.retryAfterMs} ms`);
      else if (error instanceof ServerError || error instanceof DcmError) console.log(`   gave up: ${error.name} ${error.code}`);
      else throw error;
    }
  }
  const attempts = (await flaky.requestLog()).length;
  console.log(`5. ${ok}/20 reads succeeded with ${attempts} attempts on a server failing ~30% of requests`);
} finally {
  await flaky.close();
}
