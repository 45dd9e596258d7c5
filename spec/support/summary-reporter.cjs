/* Writes the run's totals to .test-results/summary.json so that .ci/run can print the
   `N passed, N failed` line CI reads (Jest's own summary line has another form). */
const fs = require('node:fs');
const path = require('node:path');

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const summary = { passed: results.numPassedTests, failed, skipped: results.numPendingTests + results.numTodoTests };
    const dir = path.join(process.cwd(), '.test-results');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'summary.json'), JSON.stringify(summary));
  }
}
module.exports = SummaryReporter;
