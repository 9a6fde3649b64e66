/**
 * The policy file's JSON Schema (draft-07, as docs/report-schema.json), kept here so the CLI needs no file
 * lookup at run time; docs/policy-schema.json is the same object (test/unit/policy/policy.test.ts compares them).
 */
export const POLICY_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://xenready.invalid/docs/policy-schema.json',
  title: 'xenready site policy',
  description:
    'What `xenready check --policy FILE` reads (YAML or JSON): waivers of reviewed deviations, checks that may not be unknown, and site severities. See docs/outputs.md#site-policy.',
  type: 'object',
  additionalProperties: false,
  properties: {
    waivers: {
      description:
        'Accepted deviations. A waived finding keeps its status, gains `waived`, and does not count for the exit code or the verdict.',
      type: 'array',
      items: {$ref: '#/definitions/waiver'},
    },
    require: {
      description: 'Check ids (or plugin names) that may not be unknown: an unknown finding of one of them is a fail.',
      type: 'array',
      items: {$ref: '#/definitions/checkRef'},
      uniqueItems: true,
    },
    severity: {
      description:
        "A check's (or a plugin's) warn and fail findings get this status at this site: `fail` raises a warning, `warn` lowers a failure.",
      type: 'object',
      propertyNames: {$ref: '#/definitions/checkRef'},
      additionalProperties: {enum: ['fail', 'warn']},
    },
  },
  definitions: {
    checkRef: {
      description: 'A check id (`boot.console`) or a plugin name (`boot`).',
      type: 'string',
      pattern: '^[a-z][a-z0-9-]*(\\.[a-z0-9][a-z0-9-]*)*$',
    },
    waiver: {
      type: 'object',
      required: ['check', 'reason'],
      additionalProperties: false,
      properties: {
        check: {$ref: '#/definitions/checkRef'},
        hosts: {
          description:
            "Globs (`*`, `?`, `[abc]`; case ignored) on the host name: the dump's name (its directory, or its bundle file without .tar.gz/.tgz) or the node name in its uname.txt; this host's name when checking live. All hosts when absent.",
          type: 'array',
          minItems: 1,
          items: {type: 'string', minLength: 1},
        },
        reason: {
          description: 'Why the deviation is accepted: shown beside the finding in every report.',
          type: 'string',
          pattern: '\\S',
        },
        expires: {
          description:
            'The last day (YYYY-MM-DD) the waiver applies; after it the finding counts again, and the report and stderr say so.',
          type: 'string',
          pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$',
        },
      },
    },
  },
} as const
