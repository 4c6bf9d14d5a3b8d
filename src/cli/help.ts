// Help text shared by the commands: examples, exit codes, and the credentials and settings every
// provider manifest reads from the environment (generated from the manifests' config, so a new
// provider appears in --help without a code change).
import { Catalog } from '../manifest/catalog.js';
import type { AuthKind } from '../manifest/schema.js';

export const EXAMPLES = `
Examples:
  sessql --demo exec "SELECT userName, count(*) AS n FROM cloudconnexa.vpn.sessions WHERE status = 'ACTIVE' GROUP BY userName ORDER BY n DESC"
  sessql exec -f report.sql -o csv
  sessql exec -f checks.sql --continue-on-error -o csv -O results.csv
  sessql exec ".mode csv" "SELECT 1 AS a" "SELECT 2 AS b"    # each argument is one statement or meta-command
  sessql --demo                 # on a terminal: the interactive shell (see sessql shell --help)
  echo "SHOW PROVIDERS;" | sessql
  sessql exec "DESCRIBE cloudconnexa.vpn.sessions"
  sessql exec "EXPLAIN SELECT * FROM cloudconnexa.vpn.sessions WHERE status IN ('ACTIVE','FAILED')"
  sessql sync --every 5m        # keep history (default: ~/.local/share/sessql/history.db); then:
  sessql exec --db ~/.local/share/sessql/history.db "SELECT count(*) FROM cloudconnexa.vpn.sessions"
`;

const TRAILER = `
Template variables: {{ name }} or {{ .name }} in the SQL, from --var name=value or --vars-file.

Exit codes: 0 success, 1 runtime or API failure, 2 your own error (SQL, parameters, options,
credentials), 3 partial results (--partial and some fan-out calls failed).
`;

/** The description up to its first full stop or semicolon (not the one of `e.g.`), without a trailing parenthesis. */
function firstSentence(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  const cut = one.search(/(?<!\be\.g|\bi\.e)[.;](\s|$)/);
  const sentence = cut > 0 ? one.slice(0, cut) : one;
  return sentence.replace(/\s*\((?:e\.g\.|for example)[^)]*\)$/, '');
}

/** What an auth scheme reads besides the manifest's own config keys. */
const AUTH_NOTE: Partial<Record<AuthKind, string>> = {
  'azure-credential':
    'without a token: the Azure credential chain (AZURE_TENANT_ID/AZURE_CLIENT_ID/AZURE_CLIENT_SECRET, workload or managed identity, az login)',
  sigv4:
    'the AWS credential chain: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN, AWS_PROFILE and the shared files, SSO, container or instance credentials',
};

/** `Credentials and settings …` with every environment variable of every built-in manifest. */
export function credentialsHelp(catalog: Catalog = Catalog.load()): string {
  const lines: string[] = ['Credentials and settings (read from the environment; names can be changed in sessql.config.yaml):'];
  const entries = [...catalog.providers.values()].map(({ spec }) => ({
    title: spec.title,
    note: AUTH_NOTE[spec.auth.kind],
    vars: Object.values(spec.config).flatMap((c) =>
      c.env ? [{ env: c.env, text: `${firstSentence(c.description)}${c.required ? '' : ' (optional)'}` }] : [],
    ),
  }));
  const width = Math.max(0, ...entries.flatMap((e) => e.vars.map((v) => v.env.length)));
  for (const e of entries) {
    if (e.vars.length === 0) continue;
    lines.push(`  ${e.title}:`);
    for (const v of e.vars) lines.push(`    ${v.env.padEnd(width)}  ${v.text}`);
    if (e.note) lines.push(`    ${e.note}`);
  }
  return lines.join('\n');
}

/** The text after the top-level help. */
export function programHelp(): string {
  let creds: string;
  try {
    creds = credentialsHelp();
  } catch {
    creds = 'Credentials: see the README (the provider manifests could not be read).';
  }
  return `${EXAMPLES}\n${creds}\n${TRAILER}`;
}
