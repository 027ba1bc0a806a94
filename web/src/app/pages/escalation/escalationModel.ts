// Escalation's pure logic (docs/escalation.md): the legal stages in order and
// where a case may go next, and a file's bytes as the padded base64 the
// documents route expects.
export const LEGAL_STAGES = ['demand_letter', 'filed', 'judgment', 'enforcement', 'closed'] as const;
export type LegalStage = (typeof LEGAL_STAGES)[number];

// One step forward, or straight to `closed` from any open stage; a closed
// case (or an agency case, stage null) goes nowhere.
export function nextStages(stage: string | null | undefined): LegalStage[] {
  if (!stage) return [];
  const at = LEGAL_STAGES.indexOf(stage as LegalStage);
  if (at < 0 || stage === 'closed') return [];
  const next = LEGAL_STAGES[at + 1];
  return next === 'closed' ? ['closed'] : [next, 'closed'];
}

// done / current / todo for each stage of the stepper.
export function stageState(stage: string | null | undefined, step: LegalStage): 'done' | 'current' | 'todo' {
  const at = LEGAL_STAGES.indexOf((stage ?? '') as LegalStage);
  const i = LEGAL_STAGES.indexOf(step);
  if (at < 0) return 'todo';
  if (i < at) return 'done';
  return i === at ? 'current' : 'todo';
}

// Bytes → base64 (RFC 4648, padded), in chunks so a 1 MiB file does not
// overflow the argument list.
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

export const MAX_DOCUMENT_BYTES = 1 << 20;

export async function fileToBase64(file: Blob): Promise<string> {
  return bytesToBase64(new Uint8Array(await file.arrayBuffer()));
}

// The badge class of a case, write-off or bureau status.
export function statusBadge(status: string): string {
  switch (status) {
    case 'open':
    case 'proposed':
    case 'waiting':
      return 'warn';
    case 'reportable':
    case 'notice_needed':
    case 'rejected':
      return 'danger';
    default:
      return 'ok';
  }
}
