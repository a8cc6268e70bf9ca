package dev.lifeline.testkit.internal.selector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LabelSelectorTest {
  private static final Map<String, String> WEB =
      Map.of("app", "web", "tier", "frontend", "replicas", "3", "example.com/team", "core");

  @ParameterizedTest(name = "{0} matches app=web,tier=frontend,replicas=3: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "app=web | true",
        "app==web | true",
        "app!=web | false",
        "app!=db | true",
        "missing!=x | true",
        "app | true",
        "!app | false",
        "!missing | true",
        "app in (web, db) | true",
        "app in (db) | false",
        "app notin (db) | true",
        "missing notin (db) | true",
        "app notin (web) | false",
        "replicas>2 | true",
        "replicas<3 | false",
        "missing>1 | false",
        "app=web,tier=frontend | true",
        "app=web,tier=backend | false",
        "example.com/team=core | true",
        "  app = web  | true",
        "app= | false",
        "'' | true"
      })
  void matchesAsTheApiserverDoes(String selector, boolean expected) throws SelectorException {
    assertThat(LabelSelector.parse(selector).matches(WEB)).isEqualTo(expected);
  }

  @Test
  void anEmptyValueMatchesAnEmptyLabel() throws SelectorException {
    assertThat(LabelSelector.parse("app=").matches(Map.of("app", ""))).isTrue();
    assertThat(LabelSelector.parse("app in (,x)").matches(Map.of("app", ""))).isTrue();
  }

  @Test
  void inAndNotinAreValuesInsideParentheses() throws SelectorException {
    assertThat(LabelSelector.parse("x in (in,notin)").matches(Map.of("x", "notin"))).isTrue();
  }

  @Test
  void requirementsAreSortedByKey() throws SelectorException {
    assertThat(LabelSelector.parse("b=1,a=2").toString()).isEqualTo("a=2,b=1");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "app=web, | found '', expected: identifier after ','",
        "app in web | unable to parse requirement: found 'web' expected: '('",
        "app in (web | unable to parse requirement: found '', expected: ',' or ')'",
        "=web | found '=', expected: !, identifier, or 'end of string'",
        "app=web tier=x | found 'tier', expected: ',' or 'end of string'",
        "app>x | unable to parse requirement: values[0]: Invalid value: \"x\": for 'Gt', 'Lt' operators, the value must be an integer",
        "app=a@b | unable to parse requirement: values[0][app]: Invalid value: \"a@b\": a valid label must be an empty string",
        "-app=x | unable to parse requirement: Invalid value: \"-app\": name part must consist of alphanumeric characters"
      })
  void rejectsBadSelectorsWithTheApiserversMessages(String selector, String message) {
    assertThatThrownBy(() -> LabelSelector.parse(selector))
        .isInstanceOf(SelectorException.class)
        .hasMessageStartingWith(message);
  }
}
