/** `fr2en segment [files..]`: shows, as JSON Lines, exactly what would be sent to the model. */
import type { Argv } from 'yargs';
import { errorMessage } from '../errors.js';
import { discoverInputs } from '../read/discover.js';
import { resolveEncoding } from '../read/bytes.js';
import { readTextFile, readTextStream } from '../read/stream.js';
import { segmentDocument, toSegmentRecords } from '../segment/index.js';
import { ExitCode } from './exit-codes.js';
import { stdinArgs, type CliIo } from './io.js';

export interface SegmentArgs {
  files: string[];
  encoding?: string;
}

export function segmentBuilder(yargs: Argv): Argv<SegmentArgs> {
  return yargs
    .positional('files', { describe: 'Text files, or - (the default) for standard input', type: 'string', array: true, default: ['-'], coerce: stdinArgs })
    .option('encoding', { type: 'string', describe: 'Input encoding (default: detect)' }) as unknown as Argv<SegmentArgs>;
}

export async function segmentHandler(args: SegmentArgs, io: CliIo): Promise<number> {
  const encoding = args.encoding === undefined ? undefined : resolveEncoding(args.encoding);
  const discovery = await discoverInputs(args.files, { cwd: io.cwd });
  for (const problem of discovery.problems) io.stderr.write(`fr2en: ${problem.message}\n`);
  let failed = discovery.problems.length > 0;
  for (const input of discovery.inputs) {
    try {
      const { text } =
        input.kind === 'stdin'
          ? await readTextStream(io.stdin, { file: '-', encoding })
          : await readTextFile(input.path, { file: input.name, encoding });
      for (const record of toSegmentRecords(segmentDocument(text, input.name))) {
        io.stdout.write(`${JSON.stringify(discovery.inputs.length > 1 ? { file: input.name, ...record } : record)}\n`);
      }
    } catch (error) {
      failed = true;
      io.stderr.write(`fr2en: ${errorMessage(error)}\n`);
    }
  }
  return failed ? ExitCode.someFailed : ExitCode.ok;
}
