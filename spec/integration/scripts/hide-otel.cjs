// Preloaded with --require: makes @opentelemetry/api unresolvable, as in a project that does not
// install it, and counts the attempts to resolve it (printed as one JSON line on stderr at exit).
// With MIXCOATL_SPEC_FAKE_PROVIDER=1, a tracer provider appears registered in the API's global
// registry, whose use would throw: a program that registered one with an API the package cannot load.
const Module = require('node:module');

let attempts = 0;
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === '@opentelemetry/api' || request.startsWith('@opentelemetry/api/')) {
    attempts += 1;
    const error = new Error(`Cannot find module '${request}'`);
    error.code = 'MODULE_NOT_FOUND';
    throw error;
  }
  return resolve.call(this, request, ...rest);
};
if (process.env.MIXCOATL_SPEC_FAKE_PROVIDER === '1') {
  const refuse = () => {
    throw new Error('span code ran');
  };
  globalThis[Symbol.for('opentelemetry.js.api.1')] = { version: '1.9.0', trace: { getTracer: refuse, getTracerProvider: refuse } };
}
process.on('exit', () => process.stderr.write(`${JSON.stringify({ otelResolveAttempts: attempts })}\n`));
