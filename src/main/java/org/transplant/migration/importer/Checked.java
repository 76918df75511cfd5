package org.transplant.migration.importer;

import java.util.List;
import org.transplant.migration.importer.ImportReport.LeftOut;

/** What of a page may be written, as typed records, and what was left out (with its reasons). */
record Checked<T>(List<T> records, List<LeftOut> leftOut) {}
