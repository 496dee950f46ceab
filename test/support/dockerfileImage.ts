import { readFileSync } from 'node:fs';
import { DockerfileParser, type Instruction } from 'dockerfile-ast';

/** What the Dockerfile's final stage says about how the image runs. */
export interface DockerImage {
  /** ENV of the final stage. */
  env: Record<string, string>;
  user: string | null;
  entrypoint: string[];
  cmd: string[];
  healthcheck: string[];
  /** The `govdata.role.<role>` labels: the arguments after ENTRYPOINT that start each role. */
  roles: Record<string, string[]>;
  stages: number;
  instructions: Instruction[];
}

/** Reads `file` with dockerfile-ast (the Docker language server's parser). */
export function readDockerImage(file: string): DockerImage {
  const dockerfile = DockerfileParser.parse(readFileSync(file, 'utf8'));
  const froms = dockerfile.getFROMs();
  const finalStart = froms.at(-1)!.getRange().start.line;
  const instructions = dockerfile
    .getInstructions()
    .filter((i) => i.getRange().start.line >= finalStart);
  const properties = (keyword: string) =>
    instructions
      .filter((i) => i.getKeyword() === keyword)
      .flatMap((i) =>
        (i as unknown as { getProperties(): { getName(): string; getValue(): string | null }[] })
          .getProperties()
          .map((p) => [p.getName(), p.getValue() ?? ''] as const),
      );
  const json = (keyword: string, skip = 0): string[] => {
    const instruction = instructions.find((i) => i.getKeyword() === keyword);
    if (!instruction) return [];
    const text = instruction.getArgumentsContent() ?? '';
    return JSON.parse(text.split(/\s+/).slice(skip).join(' ')) as string[];
  };
  return {
    env: Object.fromEntries(properties('ENV')),
    user: instructions.find((i) => i.getKeyword() === 'USER')?.getArgumentsContent() ?? null,
    entrypoint: json('ENTRYPOINT'),
    cmd: json('CMD'),
    healthcheck: healthcheckCommand(instructions),
    roles: Object.fromEntries(
      properties('LABEL')
        .filter(([name]) => name.startsWith('govdata.role.'))
        .map(([name, value]) => [name.slice('govdata.role.'.length), value.split(/\s+/)]),
    ),
    stages: froms.length,
    instructions: dockerfile.getInstructions(),
  };
}

/** The exec-form command of HEALTHCHECK (after its flags and `CMD`). */
function healthcheckCommand(instructions: Instruction[]): string[] {
  const text = instructions.find((i) => i.getKeyword() === 'HEALTHCHECK')?.getArgumentsContent();
  if (!text) return [];
  const json = text.slice(text.indexOf('CMD') + 3).trim();
  return JSON.parse(json) as string[];
}
