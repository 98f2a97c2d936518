// Drives the unchanged third-party client signal-sdk 0.0.6 against a `signal-cli` launcher that runs SignalSharp.
// Usage: node signal-sdk-roundtrip.mjs LAUNCHER ACCOUNT RECIPIENT
// Prints one JSON line per step on stdout: {"step":"sent",...}, then waits for one received message and prints
// {"step":"message",...}; the test drives the mock server between the steps.
import sdk from 'signal-sdk';

const [launcher, account, recipient] = process.argv.slice(2);
const cli = new sdk.SignalCli(launcher, account);
cli.on('error', (error) => console.log(JSON.stringify({ step: 'error', message: String(error.message) })));
const firstMessage = new Promise((resolve) => cli.once('message', resolve));

await cli.connect();
// Diagnostics only (stderr): every raw chunk the daemon wrote, for the test's failure message.
cli.cliProcess.stdout.on('data', (data) => process.stderr.write(`stdout chunk: ${data}`));
cli.cliProcess.stderr.on('data', (data) => process.stderr.write(`stderr: ${data}`));
const version = await cli.getVersion();
console.log(JSON.stringify({ step: 'version', result: version }));
const sent = await cli.sendMessage(recipient, 'hi from signal-sdk');
console.log(JSON.stringify({ step: 'sent', result: sent }));
const params = await firstMessage;
console.log(JSON.stringify({ step: 'message', params }));
await cli.gracefulShutdown();
console.log(JSON.stringify({ step: 'closed' }));
