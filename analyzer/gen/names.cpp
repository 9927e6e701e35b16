#include "analyzer/gen/names.h"

#include <array>
#include <utility>

#include "analyzer/gen/random.h"

namespace twinscan::gen {
namespace {

struct Pair {
  const char* latin;
  const char* native;
};

struct Triple {
  const char* latin;
  const char* native;
  const char* hebrew;
};

template <typename T, std::size_t N>
const T& pick(Rng& rng, const T (&table)[N]) {
  return table[rng.below(N)];
}

// ---------------------------------------------------------------- places

constexpr Pair kHebrewPrefixes[] = {
    {"Kiryat ", "קרית "},
    {"Ramat ", "רמת "},
    {"Givat ", "גבעת "},
    {"Kfar ", "כפר "},
    {"Neve ", "נווה "},
    {"Beit ", "בית "},
    {"Maale ", "מעלה "},
    {"Ein ", "עין "},
    {"Migdal ", "מגדל "},
    {"Mitzpe ", "מצפה "},
    {"", ""},
    {"", ""},
    {"", ""},
    {"", ""},
};
constexpr Pair kHebrewRoots[] = {
    {"Alon", "אלון"},    {"Oren", "אורן"},     {"Tamar", "תמר"},       {"Shaked", "שקד"},
    {"Hadar", "הדר"},    {"Eden", "עדן"},      {"Arava", "ערבה"},      {"Carmel", "כרמל"},
    {"Gilboa", "גלבוע"}, {"Sharon", "שרון"},   {"Tavor", "תבור"},      {"Hermon", "חרמון"},
    {"Galim", "גלים"},   {"Dekel", "דקל"},     {"Rimon", "רימון"},     {"Ela", "אלה"},
    {"Brosh", "ברוש"},   {"Ofer", "עופר"},     {"Tzur", "צור"},        {"Lavi", "לביא"},
    {"Yarden", "ירדן"},  {"Nitzan", "ניצן"},   {"Shemesh", "שמש"},     {"Yam", "ים"},
    {"Hagai", "חגי"},    {"Tzafon", "צפון"},   {"Margalit", "מרגלית"}, {"Ziv", "זיו"},
    {"Harduf", "הרדוף"}, {"Kalanit", "כלנית"}, {"Shikma", "שקמה"},     {"Geffen", "גפן"},
};
constexpr Pair kHebrewSuffixes[] = {
    {"", ""},
    {"", ""},
    {"", ""},
    {"", ""},
    {"", ""},
    {" HaGalil", " הגליל"},
    {" HaNegev", " הנגב"},
    {" Illit", " עילית"},
    {" HaYam", " הים"},
};
constexpr Triple kArabicPrefixes[] = {
    {"Kafr ", "كفر ", "כפר "}, {"Umm ", "أم ", "אום "},  {"Deir ", "دير ", "דיר "},
    {"Bir ", "بئر ", "ביר "},  {"Ein ", "عين ", "עין "}, {"", "", ""},
};
constexpr Triple kArabicRoots[] = {
    {"Zeitun", "زيتون", "זייתון"},
    {"Nur", "نور", "נור"},
    {"Qamar", "قمر", "קמר"},
    {"Rummana", "رمانة", "רומאנה"},
    {"Sahl", "سهل", "סהל"},
    {"Jabal", "جبل", "ג'בל"},
    {"Ward", "ورد", "ורד"},
    {"Tin", "تين", "תין"},
    {"Sindiana", "سنديانة", "סינדיאנה"},
    {"Nahr", "نهر", "נהר"},
    {"Karmil", "كرمل", "כרמיל"},
    {"Basma", "بسمة", "בסמה"},
};

constexpr Pair kChineseSyllables[] = {
    {"an", "安"},    {"bao", "宝"},  {"bei", "北"},  {"chang", "长"}, {"cheng", "城"},
    {"dong", "东"},  {"feng", "丰"}, {"fu", "福"},   {"guang", "广"}, {"hai", "海"},
    {"he", "河"},    {"hu", "湖"},   {"hua", "华"},  {"jiang", "江"}, {"jin", "金"},
    {"kai", "开"},   {"lan", "兰"},  {"lin", "林"},  {"long", "龙"},  {"nan", "南"},
    {"ning", "宁"},  {"ping", "平"}, {"qing", "青"}, {"shan", "山"},  {"tai", "泰"},
    {"tian", "天"},  {"wu", "武"},   {"xi", "西"},   {"xin", "新"},   {"yang", "阳"},
    {"yin", "银"},   {"yong", "永"}, {"yu", "玉"},   {"zhou", "州"},  {"zhong", "中"},
    {"sheng", "盛"},
};

struct LatinPlaces {
  std::span<const char* const> heads;
  std::span<const char* const> tails;
};
constexpr const char* kUsHeads[] = {"Spring", "Oak",  "Maple", "River", "Lake",  "Cedar", "Fair",
                                    "Green",  "West", "North", "Pine",  "Clear", "Red",   "Silver"};
constexpr const char* kUsTails[] = {"field",    "ville", "ton",   "wood", "port",    " Falls",
                                    " Heights", "dale",  " City", "burg", " Springs"};
constexpr const char* kFrHeads[] = {"Saint-Étienne", "Mont", "Belle", "Ville",
                                    "Roche",         "Val",  "Beau",  "Fontaine",
                                    "Château",       "Pré",  "Clair", "Sainte-Honorine"};
constexpr const char* kFrTails[] = {"-sur-Loire", "fort",  "mont",    "rive",
                                    "lieu",       "champ", "bourg",   "-en-Provence",
                                    "-les-Bains", "vière", "-sur-Mer"};
constexpr const char* kDeHeads[] = {"Rosen", "Eichen", "Linden", "Brunn",  "Stein", "Mühl",
                                    "Grün",  "Schön",  "Weiß",   "Falken", "Kirch", "Wolfs"};
constexpr const char* kDeTails[] = {"berg", "burg", "feld", "hausen", "dorf", "stadt",
                                    "heim", "au",   "bach", "tal",    "brück"};
constexpr const char* kItHeads[] = {"Monte",        "Castel", "Villa", "Porto", "Borgo",    "Rocca",
                                    "Santa Lucia ", "Val",    "Torre", "Colle", "San Vito "};
constexpr const char* kItTails[] = {"fiore", "bello",  "nuovo",  "verde", "lago",  "mare",
                                    "alto",  " d'Oro", "franco", "rosso", "sereno"};

LatinPlaces latin_places(Country c) {
  switch (c) {
    case Country::kUS:
      return {kUsHeads, kUsTails};
    case Country::kFR:
      return {kFrHeads, kFrTails};
    case Country::kDE:
      return {kDeHeads, kDeTails};
    default:
      return {kItHeads, kItTails};
  }
}

std::string capitalised(const char* syllable) {
  std::string s(syllable);
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

/// A place name in the style of country `c`, from the random stream `rng`.
PlaceName make_place(Rng& rng, Country c) {
  PlaceName p;
  switch (c) {
    case Country::kIL:
      if (rng.chance(0.15)) {
        const Triple& pre = pick(rng, kArabicPrefixes);
        const Triple& root = pick(rng, kArabicRoots);
        p.latin = std::string(pre.latin) + root.latin;
        p.native = std::string(pre.native) + root.native;
        p.hebrew = std::string(pre.hebrew) + root.hebrew;
      } else {
        const Pair& pre = pick(rng, kHebrewPrefixes);
        const Pair& root = pick(rng, kHebrewRoots);
        const Pair& suf = pick(rng, kHebrewSuffixes);
        p.latin = std::string(pre.latin) + root.latin + suf.latin;
        p.native = std::string(pre.native) + root.native + suf.native;
        p.hebrew = p.native;
      }
      return p;
    case Country::kCN: {
      const Pair& a = pick(rng, kChineseSyllables);
      const Pair& b = pick(rng, kChineseSyllables);
      p.latin = capitalised(a.latin) + b.latin;
      p.native = std::string(a.native) + b.native;
      return p;
    }
    default: {
      const LatinPlaces t = latin_places(c);
      p.latin =
          std::string(t.heads[rng.below(t.heads.size())]) + t.tails[rng.below(t.tails.size())];
      p.native = p.latin;
      return p;
    }
  }
}

// ---------------------------------------------------------------- organs

constexpr std::uint16_t kSign = kRoleSignatory;
constexpr OrganRow kChinaOrgans[] = {
    {"Central Committee of the Communist Party", "中共中央", Organ::kParty, kRolePartyCentre, -1},
    {"State Council", "国务院", Organ::kState, kRoleStateCouncil, 0},
    {"National Development and Reform Commission", "国家发展和改革委员会", Organ::kState, kSign, 1},
    {"State-owned Assets Supervision and Administration Commission", "国务院国有资产监督管理委员会",
     Organ::kState, kRoleAssetOwner, 1},
    {"Ministry of Commerce", "商务部", Organ::kState, kSign, 1},
    {"Ministry of Foreign Affairs", "外交部", Organ::kState, kRoleNone, 1},
    {"Ministry of Finance", "财政部", Organ::kState, kRoleFinance, 1},
    {"Ministry of Transport", "交通运输部", Organ::kState, kSign, 1},
    {"Ministry of Industry and Information Technology", "工业和信息化部", Organ::kState, kSign, 1},
    {"Ministry of Education", "教育部", Organ::kState, kRoleEducation, 1},
    {"Ministry of Natural Resources", "自然资源部", Organ::kState, kRoleNone, 1},
    {"International Department of the Central Committee", "中共中央对外联络部", Organ::kParty,
     kRoleNone, 0},
    {"United Front Work Department", "中共中央统一战线工作部", Organ::kUnitedFront, kRoleNone, 0},
    {"People's Association for Friendship with Foreign Countries", "中国人民对外友好协会",
     Organ::kUnitedFront, kRoleFriendship, 12},
    {"Overseas Chinese Affairs Office", "国务院侨务办公室", Organ::kUnitedFront, kRoleNone, 12},
    {"Embassy of China in Israel", "中国驻以色列大使馆", Organ::kState, kRoleEmbassy, 5},
    {"International Cooperation Center of the National Development and Reform Commission",
     "国家发展改革委国际合作中心", Organ::kState, kSign, 2},
};
constexpr OrganRow kUsOrgans[] = {
    {"Department of State", "", Organ::kState, kRoleNone, -1},
    {"Department of Commerce", "", Organ::kState, kSign, -1},
    {"Department of Transportation", "", Organ::kState, kRoleNone, -1},
    {"Department of Energy", "", Organ::kState, kSign, -1},
    {"Embassy of the United States in Israel", "", Organ::kState, kRoleEmbassy, 0},
};
constexpr OrganRow kFrOrgans[] = {
    {"Ministère de l'Europe et des Affaires étrangères", "", Organ::kState, kRoleNone, -1},
    {"Ministère de l'Économie et des Finances", "", Organ::kState, kSign, -1},
    {"Agence des participations de l'État", "APE", Organ::kState, kRoleAssetOwner, 1},
    {"Ministère de la Culture", "", Organ::kState, kSign, -1},
    {"Ambassade de France en Israël", "", Organ::kState, kRoleEmbassy, 0},
};
constexpr OrganRow kDeOrgans[] = {
    {"Auswärtiges Amt", "Federal Foreign Office", Organ::kState, kRoleNone, -1},
    {"Bundesministerium der Finanzen", "Federal Ministry of Finance", Organ::kState,
     kRoleAssetOwner, -1},
    {"Bundesministerium für Wirtschaft und Klimaschutz", "", Organ::kState, kSign, -1},
    {"Bundesministerium für Bildung und Forschung", "", Organ::kState, kSign, -1},
    {"Botschaft der Bundesrepublik Deutschland Tel Aviv", "", Organ::kState, kRoleEmbassy, 0},
};
constexpr OrganRow kItOrgans[] = {
    {"Ministero degli Affari Esteri e della Cooperazione Internazionale", "", Organ::kState,
     kRoleNone, -1},
    {"Ministero dell'Economia e delle Finanze", "", Organ::kState, kRoleAssetOwner, -1},
    {"Ministero della Cultura", "", Organ::kState, kSign, -1},
    {"Ambasciata d'Italia in Israele", "", Organ::kState, kRoleEmbassy, 0},
};
constexpr OrganRow kAuthorities[] = {
    {"Ministry of Foreign Affairs", "משרד החוץ", Organ::kState, kRoleNone, -1},
    {"Ministry of Interior", "משרד הפנים", Organ::kState, kRoleNone, -1},
    {"National Security Council", "המטה לביטחון לאומי", Organ::kState, kRoleNone, -1},
    {"Ministry of Economy and Industry", "משרד הכלכלה והתעשייה", Organ::kState, kRoleNone, -1},
    {"State Comptroller", "מבקר המדינה", Organ::kState, kRoleNone, -1},
};

// ---------------------------------------------------------------- firms

// Sector words: English, Hebrew, Chinese, French, German, Italian.
constexpr std::array<const char*, 6> kSectorWords[kFirmSectors] = {
    {"Ports", "נמלים", "港口", "Portuaire", "Hafen", "Portuale"},
    {"Logistics", "לוגיסטיקה", "物流", "Logistique", "Logistik", "Logistica"},
    {"Railway", "רכבות", "铁路", "Ferroviaire", "Bahntechnik", "Ferroviaria"},
    {"Telecom", "תקשורת", "通信", "Télécom", "Telekom", "Telecomunicazioni"},
    {"Energy", "אנרגיה", "能源", "Énergie", "Energie", "Energia"},
    {"Water", "מים", "水务", "Eaux", "Wasser", "Acque"},
    {"Data", "נתונים", "数据", "Données", "Rechenzentren", "Dati"},
    {"Vision Technology", "מערכות ראייה", "视觉科技", "Vidéosurveillance", "Sicherheitstechnik",
     "Videosorveglianza"},
    {"Smart City", "עיר חכמה", "智慧城市", "Ville Intelligente", "Smart City",
     "Città Intelligente"},
    {"Real Estate", "נדל״ן", "置业", "Immobilier", "Immobilien", "Immobiliare"},
    {"Education", "חינוך", "教育", "Éducation", "Bildung", "Istruzione"},
    {"Media", "תרבות", "文化传媒", "Médias", "Medien", "Cultura"},
    {"Tourism", "תיירות", "旅游", "Tourisme", "Touristik", "Turismo"},
    {"Trading", "סחר", "贸易", "Commerce", "Handel", "Commercio"},
    {"Construction", "בנייה", "建设", "Construction", "Bau", "Costruzioni"},
    {"Engineering", "הנדסה", "工程", "Ingénierie", "Ingenieurbau", "Ingegneria"},
    {"Capital", "פיננסים", "金融", "Finance", "Finanz", "Finanziaria"},
    {"Holdings", "אחזקות", "控股", "Participations", "Beteiligungen", "Partecipazioni"},
};

constexpr const char* kUsLegal[] = {"Inc.", "LLC", "Corp."};
constexpr const char* kFrLegal[] = {"SA", "SAS"};
constexpr const char* kDeLegal[] = {"GmbH", "AG"};
constexpr const char* kItLegal[] = {"S.p.A.", "S.r.l."};
constexpr Pair kBankKinds[] = {
    {"Development Bank", "开发银行"},
    {"Export-Import Bank", "进出口银行"},
    {"Infrastructure Investment Bank", "基础设施投资银行"},
    {"Construction Bank", "建设银行"},
};

std::string initials(const std::string& s) {
  std::string out;
  bool start = true;
  for (char ch : s) {
    if (ch == ' ' || ch == '-') {
      start = true;
    } else if (start) {
      if (ch >= 'A' && ch <= 'Z') out += ch;
      start = false;
    }
  }
  return out;
}

// ---------------------------------------------------------------- persons

constexpr Pair kHebrewGiven[] = {
    {"Yosef", "יוסף"}, {"David", "דוד"},     {"Moshe", "משה"},   {"Yael", "יעל"},
    {"Noa", "נועה"},   {"Avraham", "אברהם"}, {"Miriam", "מרים"}, {"Eitan", "איתן"},
    {"Tamar", "תמר"},  {"Ronit", "רונית"},   {"Amir", "אמיר"},   {"Michal", "מיכל"},
    {"Yona", "יונה"},  {"Orly", "אורלי"},    {"Shlomo", "שלמה"}, {"Hila", "הילה"},
};
constexpr Pair kHebrewFamily[] = {
    {"Cohen", "כהן"},   {"Levi", "לוי"},      {"Mizrahi", "מזרחי"},    {"Peretz", "פרץ"},
    {"Biton", "ביטון"}, {"Dahan", "דהן"},     {"Friedman", "פרידמן"},  {"Azoulay", "אזולאי"},
    {"Katz", "כ״ץ"},    {"Shapira", "שפירא"}, {"Ben-David", "בן דוד"}, {"Lasri", "לסרי"},
    {"Yahav", "יהב"},   {"Halevi", "הלוי"},   {"Ohana", "אוחנה"},      {"Golan", "גולן"},
};
constexpr Triple kArabicGiven[] = {
    {"Ahmad", "أحمد", "אחמד"}, {"Fatima", "فاطمة", "פאטמה"}, {"Yusuf", "يوسف", "יוסף"},
    {"Lina", "لينا", "לינה"},  {"Omar", "عمر", "עומר"},      {"Rana", "رنا", "ראנה"},
};
constexpr Triple kArabicFamily[] = {
    {"Haddad", "حداد", "חדאד"}, {"Khoury", "خوري", "חורי"},    {"Nasser", "ناصر", "נאסר"},
    {"Saleh", "صالح", "סאלח"},  {"Mansour", "منصور", "מנסור"}, {"Darwish", "درويش", "דרוויש"},
};
constexpr Pair kChineseFamily[] = {
    {"Wang", "王"}, {"Li", "李"},   {"Zhang", "张"}, {"Liu", "刘"},
    {"Chen", "陈"}, {"Yang", "杨"}, {"Zhao", "赵"},  {"Huang", "黄"},
    {"Zhou", "周"}, {"Wu", "吴"},   {"Xu", "徐"},    {"Sun", "孙"},
    {"Gao", "高"},  {"Lin", "林"},  {"Guo", "郭"},   {"Tang", "唐"},
};
constexpr Pair kChineseGiven[] = {
    {"wei", "伟"},   {"fang", "芳"},  {"min", "敏"},  {"jing", "静"}, {"li", "丽"},
    {"qiang", "强"}, {"lei", "磊"},   {"jun", "军"},  {"yan", "艳"},  {"jie", "杰"},
    {"tao", "涛"},   {"ming", "明"},  {"chao", "超"}, {"hua", "华"},  {"ping", "平"},
    {"gang", "刚"},  {"liang", "亮"}, {"hong", "红"},
};
constexpr const char* kUsGiven[] = {"James", "Mary",  "Robert", "Linda", "Michael",
                                    "Sarah", "David", "Emily",  "John",  "Karen"};
constexpr const char* kUsFamily[] = {"Smith",  "Johnson",  "Brown",  "Miller", "Davis",
                                     "Wilson", "Anderson", "Taylor", "Moore",  "Clark"};
constexpr const char* kFrGiven[] = {"Jean",  "Marie",  "Camille", "Étienne", "Hélène",
                                    "Louis", "Claire", "Julien",  "Loïc",    "Amélie"};
constexpr const char* kFrFamily[] = {"Martin", "Bernard",  "Dubois",   "Lefèvre",  "Moreau",
                                     "Girard", "Rousseau", "Fontaine", "Thébault", "Mercier"};
constexpr const char* kDeGiven[] = {"Jürgen", "Anna",   "Lukas", "Sophie", "Matthias",
                                    "Katrin", "Stefan", "Lena",  "Jörg",   "Ute"};
constexpr const char* kDeFamily[] = {"Müller", "Schmidt",  "Schneider", "Fischer", "Weber",
                                     "Becker", "Hoffmann", "Schäfer",   "Groß",    "Köhler"};
constexpr const char* kItGiven[] = {"Giuseppe",  "Maria", "Marco",  "Giulia",  "Luca",
                                    "Francesca", "Paolo", "Chiara", "Niccolò", "Elena"};
constexpr const char* kItFamily[] = {"Rossi",  "Russo",   "Ferrari", "Esposito", "Bianchi",
                                     "Romano", "Colombo", "Ricci",   "Marino",   "Greco"};

// ---------------------------------------------------------------- projects and sites

constexpr Pair kProjectPhrases[kProjectSectors][2] = {
    {{"Container Terminal", "מסוף מכולות"}, {"Port Expansion", "הרחבת הנמל"}},
    {{"Logistics Centre", "מרכז לוגיסטי"}, {"Freight Village", "כפר לוגיסטי"}},
    {{"Light Rail Line", "קו רכבת קלה"}, {"Rail Link", "מסילת רכבת"}},
    {{"Fibre Network", "רשת סיבים אופטיים"}, {"5G Network", "רשת דור חמישי"}},
    {{"Solar Power Plant", "תחנת כוח סולארית"}, {"Power Station Upgrade", "שדרוג תחנת הכוח"}},
    {{"Desalination Plant", "מתקן התפלה"}, {"Wastewater Plant", "מכון טיהור שפכים"}},
    {{"Data Centre", "חוות שרתים"}, {"Cloud Campus", "מרכז מחשוב ענן"}},
    {{"City CCTV Network", "רשת מצלמות עירונית"}, {"Safe City System", "מערכת עיר בטוחה"}},
    {{"Smart City Control Centre", "מרכז שליטה עירוני חכם"},
     {"Smart Traffic System", "מערכת תנועה חכמה"}},
    {{"Residential Towers", "מגדלי מגורים"}, {"Urban Renewal", "התחדשות עירונית"}},
    {{"Academic Campus", "קמפוס אקדמי"}, {"Research Institute", "מכון מחקר"}},
    {{"Cultural Centre", "מרכז תרבות"}, {"Museum Wing", "אגף מוזיאון"}},
    {{"Hotel and Marina", "מלון ומרינה"}, {"Visitor Centre", "מרכז מבקרים"}},
    {{"Trade Towers", "מגדלי סחר"}, {"Free-Trade Zone", "אזור סחר חופשי"}},
};

}  // namespace

std::span<const OrganRow> organ_table(Country c) {
  switch (c) {
    case Country::kCN:
      return kChinaOrgans;
    case Country::kUS:
      return kUsOrgans;
    case Country::kFR:
      return kFrOrgans;
    case Country::kDE:
      return kDeOrgans;
    case Country::kIT:
      return kItOrgans;
    case Country::kIL:
      break;
  }
  return {};
}

std::span<const OrganRow> authority_table() {
  return kAuthorities;
}

PlaceName municipality_place(std::uint64_t seed, std::uint32_t m) {
  Rng rng(seed, kStreamMunicipalityName, m);
  return make_place(rng, Country::kIL);
}

PlaceName city_place(std::uint64_t seed, Country c, std::uint32_t city) {
  Rng rng(seed, kStreamCityName, city);
  return make_place(rng, c);
}

void municipality_names(std::uint64_t seed, std::uint32_t m, Names& out) {
  out.clear();
  PlaceName p = municipality_place(seed, m);
  Rng rng(seed, kStreamMunicipalityName + 0x100, m);
  if (p.native != p.hebrew) {  // an Arab town: names in Latin, Arabic and Hebrew script
    if (rng.chance(0.3)) {
      out.name = p.native;
      out.add_alias(p.latin);
    } else {
      out.name = p.latin;
      out.add_alias(p.native);
    }
    out.add_alias(p.hebrew);
  } else if (rng.chance(0.5)) {
    out.name = p.hebrew;
    out.add_alias(p.latin);
  } else {
    out.name = p.latin;
    out.add_alias(p.hebrew);
  }
}

void city_names(std::uint64_t seed, const World& w, std::uint32_t city, Names& out) {
  out.clear();
  const Country c = w.cities[city].country;
  PlaceName p = city_place(seed, c, city);
  if (c == Country::kCN) {
    Rng rng(seed, kStreamCityName + 0x100, city);
    if (rng.chance(0.3)) {
      out.name = p.native + "市";
      out.add_alias(p.latin);
    } else {
      out.name = p.latin;
      out.add_alias(p.native + "市");
    }
  } else {
    out.name = p.latin;
  }
}

void government_names(const World& w, std::uint32_t g, Names& out) {
  out.clear();
  const Government& gov = w.governments[g];
  if (gov.level == GovLevel::kProvincial) {
    Rng rng(w.seed, kStreamProvinceName, g);
    const PlaceName p = make_place(rng, gov.country);
    switch (gov.country) {
      case Country::kCN:
        out.name = "Government of " + p.latin + " Province";
        out.add_alias(p.native + "省人民政府");
        break;
      case Country::kFR:
        out.name = "Région " + p.latin;
        break;
      case Country::kDE:
        out.name = "Land " + p.latin;
        break;
      case Country::kUS:
        out.name = "State of " + p.latin;
        break;
      default:
        out.name = "Regione " + p.latin;
        break;
    }
    return;
  }
  const OrganRow& row = organ_table(gov.country)[gov.table];
  out.name = row.name;
  if (gov.bureau == 0) {
    out.add_alias(row.alias);
    return;
  }
  const std::string number = std::to_string(gov.bureau);
  switch (gov.country) {
    case Country::kCN:
      out.name += ", Bureau " + number;
      out.add_alias(std::string(row.alias) + "第" + number + "局");
      break;
    case Country::kFR:
      out.name += ", Direction " + number;
      break;
    case Country::kDE:
      out.name += ", Abteilung " + number;
      break;
    case Country::kIT:
      out.name += ", Direzione " + number;
      break;
    default:
      out.name += ", Office " + number;
      break;
  }
}

void firm_names(const World& w, std::uint32_t f, Names& out) {
  out.clear();
  const Firm& firm = w.firms[f];
  Rng rng(w.seed, kStreamFirmName, f);
  const PlaceName root = make_place(rng, firm.country);
  const auto& words = kSectorWords[firm.sector];
  switch (firm.country) {
    case Country::kIL:
      if (rng.chance(0.5)) {
        out.name = root.hebrew + " " + words[1] + " בע״מ";
        out.add_alias(root.latin + " " + words[0] + " Ltd");
      } else {
        out.name = root.latin + " " + words[0] + " Ltd";
        if (rng.chance(0.3)) out.add_alias(root.hebrew + " " + words[1] + " בע״מ");
      }
      break;
    case Country::kCN: {
      if (firm.flags & kFirmBank) {
        const Pair& kind = pick(rng, kBankKinds);
        out.name = root.latin + " " + kind.latin;
        out.add_alias(root.native + kind.native);
        out.add_alias(initials(out.name));
        break;
      }
      const bool group = (firm.flags & kFirmStateOwned) != 0 && rng.chance(0.5);
      out.name = root.latin + " " + words[0] + (group ? " Group Co., Ltd." : " Co., Ltd.");
      out.add_alias(root.native + words[2] + (group ? "集团有限公司" : "有限公司"));
      if (rng.chance(0.2))
        out.add_alias(initials(root.latin + " " + words[0]) + (group ? "G" : ""));
      break;
    }
    case Country::kUS:
      out.name = root.latin + " " + words[0] + " " + pick(rng, kUsLegal);
      break;
    case Country::kFR:
      out.name = root.latin + " " + words[3] + " " + pick(rng, kFrLegal);
      break;
    case Country::kDE:
      out.name = root.latin + " " + words[4] + " " + pick(rng, kDeLegal);
      break;
    case Country::kIT:
      out.name = root.latin + " " + words[5] + " " + pick(rng, kItLegal);
      break;
  }
}

void person_names(std::uint64_t seed, Country c, std::uint32_t p, Names& out) {
  out.clear();
  Rng rng(seed, kStreamPersonName, p);
  auto latin = [&](std::span<const char* const> given, std::span<const char* const> family) {
    out.name = std::string(given[rng.below(given.size())]) + " " + family[rng.below(family.size())];
  };
  switch (c) {
    case Country::kIL:
      if (rng.chance(0.15)) {
        const Triple& g = pick(rng, kArabicGiven);
        const Triple& f = pick(rng, kArabicFamily);
        std::string primary = std::string(g.latin) + " " + f.latin;
        std::string other = std::string(g.native) + " " + f.native;
        if (rng.chance(0.3)) std::swap(primary, other);
        out.name = std::move(primary);
        out.add_alias(std::move(other));
        if (rng.chance(0.3)) out.add_alias(std::string(g.hebrew) + " " + f.hebrew);
      } else {
        const Pair& g = pick(rng, kHebrewGiven);
        const Pair& f = pick(rng, kHebrewFamily);
        std::string he = std::string(g.native) + " " + f.native;
        std::string la = std::string(g.latin) + " " + f.latin;
        if (rng.chance(0.6)) {
          out.name = std::move(he);
          out.add_alias(std::move(la));
        } else {
          out.name = std::move(la);
          if (rng.chance(0.4)) out.add_alias(std::move(he));
        }
      }
      break;
    case Country::kCN: {
      const Pair& f = pick(rng, kChineseFamily);
      const Pair& g1 = pick(rng, kChineseGiven);
      std::string given = capitalised(g1.latin);
      std::string hanzi = std::string(f.native) + g1.native;
      if (rng.chance(0.6)) {
        const Pair& g2 = pick(rng, kChineseGiven);
        given += g2.latin;
        hanzi += g2.native;
      }
      if (rng.chance(0.5)) {
        out.name = std::move(hanzi);
        out.add_alias(std::string(f.latin) + " " + given);
      } else {
        out.name = std::string(f.latin) + " " + given;
        out.add_alias(std::move(hanzi));
      }
      break;
    }
    case Country::kUS:
      latin(kUsGiven, kUsFamily);
      break;
    case Country::kFR:
      latin(kFrGiven, kFrFamily);
      break;
    case Country::kDE:
      latin(kDeGiven, kDeFamily);
      break;
    case Country::kIT:
      latin(kItGiven, kItFamily);
      break;
  }
}

void organization_names(const World& w, std::uint32_t o, std::uint8_t type, Names& out) {
  out.clear();
  const Country c = w.organization_country[o];
  const std::uint32_t home = organization_home(w, o);
  if (c == Country::kIL) {
    if (o == 0) {
      out.name = "Union of Local Authorities";
      out.add_alias("מרכז השלטון המקומי");
      return;
    }
    const PlaceName p = municipality_place(w.seed, home);
    switch (type) {
      case kOrgUniversity:
        out.name = p.latin + " University";
        out.add_alias("אוניברסיטת " + p.hebrew);
        break;
      case kOrgChamber:
        out.name = p.latin + " Chamber of Commerce";
        out.add_alias("לשכת המסחר " + p.hebrew);
        break;
      case kOrgThinkTank:
        out.name = p.latin + " Institute for Policy Studies";
        break;
      default:
        out.name = p.latin + " Friends of the City Association";
        out.add_alias("עמותת ידידי " + p.hebrew);
        break;
    }
    return;
  }
  const PlaceName p = city_place(w.seed, c, home);
  switch (type) {
    case kOrgUniversity:
      if (c == Country::kCN) {
        out.name = p.latin + " University of International Business";
        out.add_alias(p.native + "国际商务大学");
      } else if (c == Country::kFR) {
        out.name = "Université de " + p.latin;
      } else if (c == Country::kDE) {
        out.name = "Universität " + p.latin;
      } else if (c == Country::kIT) {
        out.name = "Università di " + p.latin;
      } else {
        out.name = p.latin + " State University";
      }
      break;
    case kOrgFriendship:
      if (c == Country::kCN) {
        out.name = p.latin + " People's Association for Friendship with Foreign Countries";
        out.add_alias(p.native + "人民对外友好协会");
      } else {
        out.name = p.latin + " Sister Cities Association";
      }
      break;
    case kOrgChamber:
      out.name = p.latin + " Chamber of Commerce";
      if (c == Country::kCN) out.add_alias(p.native + "商会");
      break;
    default:
      out.name = p.latin + " Institute for International Studies";
      if (c == Country::kCN) out.add_alias(p.native + "国际问题研究院");
      break;
  }
}

void project_names(std::uint64_t seed, std::uint32_t m, std::uint8_t sector, std::uint32_t p,
                   Names& out) {
  out.clear();
  Rng rng(seed, kStreamProjectName, p);
  const PlaceName place = municipality_place(seed, m);
  const Pair& phrase = kProjectPhrases[sector][rng.below(2)];
  std::string phase;
  if (rng.chance(0.15)) phase = " (phase " + std::to_string(rng.range(2, 4)) + ")";
  if (rng.chance(0.3)) {
    out.name = std::string(phrase.native) + " " + place.hebrew + phase;
    out.add_alias(place.latin + " " + phrase.latin + phase);
  } else {
    out.name = place.latin + " " + phrase.latin + phase;
    if (rng.chance(0.25)) out.add_alias(std::string(phrase.native) + " " + place.hebrew + phase);
  }
}

void site_names(std::uint64_t seed, std::uint32_t m, std::uint8_t category, std::uint32_t s,
                Names& out) {
  out.clear();
  Rng rng(seed, kStreamSiteName, s);
  const Pair& root = pick(rng, kHebrewRoots);
  const PlaceName place = municipality_place(seed, m);
  switch (category) {
    case 0:  // military
      out.name = std::string("Camp ") + root.latin;
      out.add_alias(std::string("מחנה ") + root.native);
      break;
    case 1:  // defense_industry
      out.name = std::string(root.latin) + " Defense Electronics Plant";
      out.add_alias(std::string("מפעל ") + root.native);
      break;
    case 2:  // strategic_port
      out.name = place.latin + " Naval Port";
      out.add_alias("נמל " + place.hebrew);
      break;
    default: {
      static constexpr Pair kKinds[] = {{"Power Station", "תחנת הכוח"},
                                        {"Water Reservoir", "מאגר המים"},
                                        {"Gas Terminal", "מסוף הגז"},
                                        {"Grid Substation", "תחנת המשנה"}};
      const Pair& kind = pick(rng, kKinds);
      out.name = place.latin + " " + kind.latin;
      out.add_alias(std::string(kind.native) + " " + place.hebrew);
      break;
    }
  }
}

std::string display_name(const World& w, Ref r) {
  Names n;
  switch (r.kind) {
    case Kind::kAuthority:
      return kAuthorities[r.index % std::size(kAuthorities)].name;
    case Kind::kMunicipality:
      municipality_names(w.seed, r.index, n);
      break;
    case Kind::kGovernment:
      government_names(w, r.index, n);
      break;
    case Kind::kCity:
      city_names(w.seed, w, r.index, n);
      break;
    case Kind::kOrganization:
      organization_names(w, r.index, organization_type(w, r.index), n);
      break;
    case Kind::kFirm:
      firm_names(w, r.index, n);
      break;
    case Kind::kPerson:
      person_names(w.seed, w.person_country(r.index), r.index, n);
      break;
    default:
      return std::string(kind_prefix(r.kind)) + ":" + std::to_string(r.index);
  }
  return n.name;
}

}  // namespace twinscan::gen
