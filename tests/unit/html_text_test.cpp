#include <catch2/catch.hpp>

#include <string>

#include "analyzer/util/html_text.h"

using twinscan::util::escape_html;

TEST_CASE("HTML escaping: markup characters become references", "[html]") {
  CHECK(escape_html(R"(<script>alert("x")</script> & 'y')") ==
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;");
}

TEST_CASE("HTML escaping: Hebrew and Chinese pass through, broken UTF-8 does not", "[html]") {
  CHECK(escape_html("אשדוד 武汉市") == "אשדוד 武汉市");
  CHECK(escape_html(std::string("a\xC3(b")) == "a\xEF\xBF\xBD(b");
  CHECK(escape_html(std::string("\xED\xA0\x80")) == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST_CASE("HTML escaping: control characters are dropped, tab and newline kept", "[html]") {
  CHECK(escape_html(std::string("a\x1b[31mb\tc\nd\x7f")) == "a[31mb\tc\nd");
}
