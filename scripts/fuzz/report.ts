// Reads what Schemathesis wrote (pure): the HAR file (every request it sent,
// with the status answered) and the JSON run report (its failures by code),
// and turns them into the fuzzer's figures.
export interface HarFile {
  log: { entries: Array<{ request: { method: string; url: string }; response: { status: number } }> };
}

export interface RunReport {
  test_cases?: { generated?: number };
  failures?: Array<{ code: string; title: string; count: number; operations: string[] }>;
  errors?: Array<{ title?: string; message?: string; operation?: string }>;
}

export interface PassFigures {
  requests: number;
  serverErrors: number;
  /** ST104–ST111: the response's content type, headers or body do not match the document. */
  schemaMismatches: number;
  /** ST103: a status code the operation does not declare. */
  undocumentedStatus: number;
  /** Any other failed check (ST1xx server errors, ST2xx input handling, ST3xx stateful), by code. */
  otherFailures: number;
  errors: number;
  failureLines: string[];
}

const SCHEMA_MISMATCH = new Set(['ST104', 'ST105', 'ST106', 'ST107', 'ST108', 'ST109', 'ST110', 'ST111']);

export function passFigures(har: HarFile, report: RunReport): PassFigures {
  const entries = har.log.entries;
  const f: PassFigures = {
    requests: entries.length,
    serverErrors: entries.filter((e) => e.response.status >= 500).length,
    schemaMismatches: 0,
    undocumentedStatus: 0,
    otherFailures: 0,
    errors: report.errors?.length ?? 0,
    failureLines: [],
  };
  for (const failure of report.failures ?? []) {
    if (failure.code === 'ST103') f.undocumentedStatus += failure.count;
    else if (SCHEMA_MISMATCH.has(failure.code)) f.schemaMismatches += failure.count;
    else if (failure.code !== 'ST101') f.otherFailures += failure.count;
    f.failureLines.push(`${failure.code} ${failure.title} ×${failure.count}: ${failure.operations.join(', ')}`);
  }
  for (const e of report.errors ?? []) f.failureLines.push(`error ${e.operation ?? ''}: ${e.title ?? ''} ${e.message ?? ''}`.trim());
  return f;
}

export function sumFigures(passes: PassFigures[]): PassFigures {
  const total: PassFigures = { requests: 0, serverErrors: 0, schemaMismatches: 0, undocumentedStatus: 0, otherFailures: 0, errors: 0, failureLines: [] };
  for (const p of passes) {
    total.requests += p.requests;
    total.serverErrors += p.serverErrors;
    total.schemaMismatches += p.schemaMismatches;
    total.undocumentedStatus += p.undocumentedStatus;
    total.otherFailures += p.otherFailures;
    total.errors += p.errors;
    total.failureLines.push(...p.failureLines);
  }
  return total;
}

/** `name: value` lines, one block per pass then the totals, the headline last. */
export function formatFuzzFigures(passes: Array<{ name: string; figures: PassFigures }>): string[] {
  const lines: string[] = [];
  const block = (prefix: string, f: PassFigures) => {
    lines.push(`${prefix}requests_sent_count: ${f.requests}`);
    lines.push(`${prefix}responses_5xx_count: ${f.serverErrors}`);
    lines.push(`${prefix}schema_mismatching_responses_count: ${f.schemaMismatches}`);
    lines.push(`${prefix}undocumented_status_codes_count: ${f.undocumentedStatus}`);
    lines.push(`${prefix}other_failed_checks_count: ${f.otherFailures}`);
    lines.push(`${prefix}fuzzer_errors_count: ${f.errors}`);
  };
  for (const p of passes) block(`${p.name}_`, p.figures);
  const total = sumFigures(passes.map((p) => p.figures));
  block('total_', total);
  lines.push(`fuzz_5xx_mismatch_or_undocumented_count: ${total.serverErrors + total.schemaMismatches + total.undocumentedStatus}`);
  return lines;
}
