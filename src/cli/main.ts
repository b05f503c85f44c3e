#!/usr/bin/env node
/**
 * fr2en's command line. `run(argv, io)` parses, runs one command and returns its exit code
 * instead of exiting, so tests can run the CLI in-process.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import yargs from 'yargs';
import { Fr2enError, UsageError, errorMessage } from '../errors.js';
import { toolVersion } from '../write/index.js';
import { ExitCode } from './exit-codes.js';
import { processIo, STDIN_PLACEHOLDER, type CliIo } from './io.js';
import { modelsBuilder, modelsHandler } from './models-command.js';
import { segmentBuilder, segmentHandler } from './segment-command.js';
import { translateBuilder, translateHandler, type TranslateArgs } from './translate-command.js';

export async function run(rawArgv: readonly string[], io: CliIo = processIo()): Promise<number> {
  // yargs drops a bare `-` from positionals; carry it through as a placeholder (see stdinArg).
  const argv = rawArgv.map((arg) => (arg === '-' ? STDIN_PLACEHOLDER : arg));
  let exitCode: number = ExitCode.ok;
  const parser = yargs([...argv])
    .scriptName('fr2en')
    .usage('$0 <command> [options]\n\nTranslate French articles to English on this machine, with aligned bilingual output.')
    .command<TranslateArgs>(
      'translate <inputs..>',
      'Translate French text files, folders, globs or stdin',
      (y) => translateBuilder(y, io),
      async (args) => {
        exitCode = await translateHandler(args, io);
      },
    )
    .command('segment [files..]', 'Print the paragraphs and sentences fr2en would translate, as JSON Lines', segmentBuilder, async (args) => {
      exitCode = await segmentHandler(args, io);
    })
    .command('models <action> [id]', 'Download, verify, list or remove models', (y) => modelsBuilder(y, io), async (args) => {
      exitCode = await modelsHandler(args, io);
    })
    .example('$0 translate samples/ -o out --format txt,html', 'Translate a folder; write English text and a side-by-side page')
    .example('cat article.txt | $0 translate - --format sbs', 'Side by side in the terminal')
    .demandCommand(1, 'Name a command: translate, segment or models')
    .strict()
    .exitProcess(false)
    .wrap(Math.min(110, io.stdout.columns ?? 100))
    .version(toolVersion())
    .help()
    .epilog('Exit codes: 0 all done, 1 some files failed (the others are written), 2 usage error, 130 interrupted.');

  try {
    // With a callback, yargs hands over help/version/validation output instead of printing it.
    let usageError: Error | undefined;
    let output = '';
    await parser.parseAsync([...argv], {}, (error, _args, text) => {
      usageError = error ?? undefined;
      output = text;
    });
    if (usageError) {
      io.stderr.write(`${output ? `${output}\n` : ''}`);
      return ExitCode.usage;
    }
    if (output) io.stdout.write(`${output}\n`);
    return exitCode;
  } catch (error) {
    io.stderr.write(`fr2en: ${errorMessage(error)}\n`);
    if (error instanceof UsageError) return ExitCode.usage;
    if (error instanceof Fr2enError) return ExitCode.someFailed;
    throw error;
  }
}

function isMain(): boolean {
  try {
    return realpathSync(process.argv[1] ?? '') === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  process.exitCode = await run(process.argv.slice(2));
}
