"""The app's own templates (`templates/`) served without their indentation.

The templates are indented for people (djLint formats them); a page's HTML carried that
indentation to every browser, about a third of the design page's bytes. The loader removes the
whitespace that starts each line once, when a template is read (the cached loader keeps the
result), so it costs nothing per request, and the line break that ends a line of structural
template tags alone (an `{% if %}` or `{% endfor %}` that would leave an empty line). Elsewhere a line break
stays where one was, so the browser sees
the same text: HTML collapses any run of whitespace to one space outside `<pre>` and `<textarea>`,
and the app's templates hold neither (a test says so)."""

import re

from django.template.loaders import filesystem

# A line break followed by more whitespace (indentation, blank lines): one line break.
_INDENTED = re.compile(r"\n\s+")
# A line of structural tags (that write nothing themselves: not an include, url or csrf_token) and
# comments alone renders to nothing but its line break: the break goes (the one before the line
# stays, so the text around it keeps its whitespace).
_SILENT = r"(?:end)?(?:if|for|with|block|partialdef|comment|spaceless|autoescape)|elif|else|empty|load|extends"
_TAG_LINE = re.compile(rf"^((?:\{{%\s*(?:{_SILENT})\b.*?%\}}|\{{#.*?#\}})+)\n", re.MULTILINE)


def strip_indentation(source: str) -> str:
    return _TAG_LINE.sub(r"\1", _INDENTED.sub("\n", source))


class IndentStrippingLoader(filesystem.Loader):
    """`filesystem.Loader` for TEMPLATES' DIRS, returning each template's source without the
    whitespace that starts its lines."""

    def get_contents(self, origin):
        return strip_indentation(super().get_contents(origin))
