/**
 * `ficus schema <name>`: prints the JSON Schema of a contract or config file, for editors and
 * for other tools that read ficus output. The files in schemas/ are this output, checked by a test.
 */
import { defineCommand } from 'citty';
import { CliError, CliErrorCode } from '../errors.js';
import type { CliIO } from '../io.js';
import { SCHEMAS } from '../schemas.js';

export default defineCommand({
  meta: { name: 'schema', description: 'Print the JSON Schema of a ficus contract or config file' },
  args: {
    name: { type: 'positional', description: `One of: ${Object.keys(SCHEMAS).join(', ')}`, required: true },
  },
  run({ args, data }) {
    const { io } = data as { io: CliIO };
    const schema = SCHEMAS[String(args.name)];
    if (!schema) {
      throw new CliError(CliErrorCode.BAD_VALUE, `no schema named "${String(args.name)}"; valid: ${Object.keys(SCHEMAS).join(', ')}`);
    }
    io.stdout.write(schemaText(schema));
    return 0;
  },
});

export function schemaText(schema: object): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}
