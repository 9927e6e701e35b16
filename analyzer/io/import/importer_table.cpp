// The importer table: every format of `twinscan import`, in the order `--help` lists them.
// A format is one file, `<name>_importer.cpp`, that defines its class privately and
// exposes only its maker, declared here; adding one is that file and one row below.
#include "analyzer/io/import/importer.h"

namespace twinscan::imports {

std::unique_ptr<Importer> make_wikidata_importer();
std::unique_ptr<Importer> make_ftm_importer();
std::unique_ptr<Importer> make_bods_importer();
std::unique_ptr<Importer> make_csv_importer();

const std::vector<ImporterSpec>& importer_table() {
  static const std::vector<ImporterSpec> kTable = {
      {"wikidata",
       "Wikidata P190 twinnings: SPARQL JSON results (item, itemLabel, twin, twinLabel, …)",
       "Wikidata: twinned cities (P190)", "public-report", make_wikidata_importer},
      {"ftm", "FollowTheMoney entities as JSON lines (OpenSanctions' entities.ftm.json)",
       "FollowTheMoney entities", "watchlist", make_ftm_importer},
      {"bods",
       "Open Ownership beneficial ownership statements (BODS 0.4): a JSON array or JSON lines",
       "Open Ownership: beneficial ownership statements", "corporate-registry", make_bods_importer},
      {"csv", "Delimited text of any dialect, mapped to entities and relations by --mapping FILE",
       "CSV import", "", make_csv_importer},
  };
  return kTable;
}

}  // namespace twinscan::imports
