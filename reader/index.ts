/** The plan reader's public face: `dondoc draft` and `dondoc eval-reader` call these. */
export { readPlanText, dueOfSchedule } from './read-plan';
export { resolveAgency, splitAgencyList, normaliseAgencyName, type DirectoryLike } from './agency-names';
export { draftToYaml } from './to-yaml';
export { readDocxToText } from './read-docx';
export {
  readDocument,
  readDocumentFile,
  reflowPageText,
  DocumentReadError,
  ACCEPTED_EXTENSIONS,
  type DocumentText,
  type DocumentFormat,
  type OcrProgress,
} from './read-document';
export { matchAgency, groupLevelOf, type AgencyCandidate } from './agency-names';
export { evaluateReader, formatEvalTable, type EvalResult, type EvalMetrics, type EvalFileResult } from './eval-reader';
export type { PlanDraft, DraftTask, ReviewMark } from './types';
