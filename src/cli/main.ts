#!/usr/bin/env node
/**
 * fr2en's command line. `run(argv, io)` parses, runs one command and returns its exit code
 * instead of exiting, so tests can run the CLI in-process. Only this layer prints, reads the
 * environment and chooses exit codes (see exit-codes.ts); every message is one line on stderr.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import yargs from 'yargs';
import { Fr2enError, UsageError, errorMessage } from '../errors.js';
import { toolVersion } from '../write/index.js';
import { checkBuilder, checkHandler } from './check-command.js';
import { compareBuilder, compareHandler } from './compare-command.js';
import { ExitCode } from './exit-codes.js';
import { printable, processIo, protectArgs, type CliIo } from './io.js';
import { modelsBuilder, modelsHandler } from './models-command.js';
import { scoreBuilder, scoreHandler } from './score-command.js';
import { segmentBuilder, segmentHandler } from './segment-command.js';
import { serveBuilder, serveHandler } from './serve-command.js';
import { translateBuilder, translateHandler, type TranslateArgs } from './translate-command.js';
import { workerBuilder, workerHandler } from './worker-command.js';

const COMMANDS = ['translate', 'segment', 'models', 'worker', 'compare', 'serve'] as const;

export async function run(rawArgv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const argv = protectArgs(rawArgv);
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
    .command('score <hypothesis>', "Score a translation against references: BLEU, chrF, chrF++, TER with sacreBLEU's numbers", scoreBuilder, async (args) => {
      exitCode = await scoreHandler(args, io);
    })
    .command('compare <versions..>', 'Compare English versions of the same French text pair by pair: differences, chrF, BLEU', compareBuilder, async (args) => {
      exitCode = await compareHandler(args, io);
    })
    .command('check <inputs..>', 'Flag translated pairs to review: numbers, URLs, loops, untranslated, length', checkBuilder, async (args) => {
      exitCode = await checkHandler(args, io);
    })
    .command('worker', 'Translate batches for `translate --redis` runs on other machines, through Redis', (y) => workerBuilder(y, io), async (args) => {
      exitCode = await workerHandler(args, io);
    })
    .command('serve', 'Serve translations over HTTP: LibreTranslate-compatible API, aligned documents, a web page', (y) => serveBuilder(y, io), async (args) => {
      exitCode = await serveHandler(args, io);
    })
    .example('$0 translate samples/ -o out --format txt,html', 'Translate a folder; write English text and a side-by-side page')
    .example('cat article.txt | $0 translate -', 'Print the English of standard input')
    .demandCommand(1, `Name a command: ${COMMANDS.join(', ')}`)
    .strict()
    .exitProcess(false)
    .showHelpOnFail(false)
    .wrap(Math.min(110, io.stdout.columns ?? 100))
    .version(toolVersion())
    .alias('v', 'version')
    .help()
    .alias('h', 'help')
    .epilog('Exit codes: 0 all done, 1 something failed (the rest is written), 2 usage error, 130 interrupted. FR2EN_DEBUG=1 shows stack traces.');

  const fail = (message: string, code: number): number => {
    io.stderr.write(`fr2en: ${printable(message)}\n`);
    return code;
  };
  try {
    // With a callback, yargs hands over help/version/validation output instead of printing it.
    let usageError: Error | undefined;
    let output = '';
    await parser.parseAsync([...argv], {}, (error, _args, text) => {
      usageError = error ?? undefined;
      output = text;
    });
    if (usageError) return fail(`${oneLine(usageError.message)} (${helpHint(rawArgv)})`, ExitCode.usage);
    if (output) io.stdout.write(`${output}\n`);
    return exitCode;
  } catch (error) {
    if (io.env.FR2EN_DEBUG && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
    if (error instanceof UsageError) return fail(`${oneLine(error.message)} (${helpHint(rawArgv)})`, ExitCode.usage);
    if (error instanceof Fr2enError) return fail(oneLine(error.message), ExitCode.someFailed);
    return fail(`internal error: ${oneLine(errorMessage(error))} (FR2EN_DEBUG=1 shows where)`, ExitCode.someFailed);
  }
}

/** yargs writes some messages on several lines, and names options without dashes; a message here is one line. */
function oneLine(message: string): string {
  const unknown = /^Unknown arguments?: (.+)$/s.exec(message);
  if (unknown) return `Unknown option ${unknown[1].split(', ').map(asFlag).join(', ')}`;
  const invalid = /^Invalid values:\s*Argument: ([\w-]+), Given: (.+), Choices: (.+)$/s.exec(message.trim());
  if (invalid) return `${asFlag(invalid[1])} cannot be ${invalid[2].trim()}: expected ${invalid[3].trim().replaceAll('"', '')}`;
  // Lines become clauses: a line that introduces a list (ends with ':') runs on into it, and the
  // indented list markers go (a message may start with `-`, standard input's name).
  const lines = message.split('\n').map((line) => line.replace(/^\s+- /, '').trim()).filter((line) => line !== '');
  return lines.reduce((text, line) => (text === '' ? line : `${text}${text.endsWith(':') ? ' ' : '; '}${line}`), '');
}

function asFlag(name: string): string {
  const kebab = name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  return kebab.length === 1 ? `-${kebab}` : `--${kebab}`;
}

function helpHint(argv: readonly string[]): string {
  const command = argv.find((arg) => (COMMANDS as readonly string[]).includes(arg));
  return `see fr2en ${command ? `${command} ` : ''}--help`;
}

function isMain(): boolean {
  try {
    return realpathSync(process.argv[1] ?? '') === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  // A reader that goes away (`| head`, quitting `less`) is not an error: stop quietly. Exit 0 is
  // what `head` users expect; the work the reader no longer wants is simply not done.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(ExitCode.ok);
      throw error;
    });
  }
  process.exitCode = await run(process.argv.slice(2));
}
