import { appendHistory, prepareHistoryForWriting } from "../core/record/history.js";
import { resolvePractice } from "../core/catalog/practices.js";
import { keyBlocks } from "../core/catalog/study.js";
import { printJson } from "../ui/logger.js";
import { page } from "../ui/pager.js";
import { formatStudy } from "../ui/study.js";

export interface StudyOptions {
  blocksOnly?: boolean;
  json?: boolean;
}

export async function runStudyCommand(id: string, options: StudyOptions): Promise<void> {
  const practice = resolvePractice(id);
  const blocks = keyBlocks(practice);
  if (options.json) {
    // Data for tools, not a reading: it is not recorded as studying.
    printJson({ practice: practice.slug, blocks });
    return;
  }
  prepareHistoryForWriting();
  page(formatStudy(practice, blocks, { spec: !options.blocksOnly }));
  appendHistory([{ type: "study", at: new Date().toISOString(), practice: practice.slug }]);
}
