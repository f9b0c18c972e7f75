"""Reading GOV.UK pages in tests: what a browser would submit from a page's form."""

from html.parser import HTMLParser

NOT_CHANGING_ACTIONS = ("sign-out", "/briefings/")


class _FormParser(HTMLParser):
    def __init__(self, form_index: int) -> None:
        super().__init__(convert_charrefs=True)
        self.form_index = form_index
        self.forms_seen = -1
        self.in_form = False
        self.fields: dict[str, list[str]] = {}
        self.textarea: str | None = None
        self.actions: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.actions.append(attrs.get("action", ""))
            action = attrs.get("action", "")
            # Signing out and asking for a PDF briefing are open to viewers: they change no
            # answers, so they are not the forms these helpers count.
            if attrs.get("method", "get").lower() == "post" and not any(
                part in action for part in NOT_CHANGING_ACTIONS
            ):
                self.forms_seen += 1
                self.in_form = self.forms_seen == self.form_index
            return
        if not self.in_form or "name" not in attrs:
            return
        name = attrs["name"]
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("radio", "checkbox"):
                if "checked" in attrs:
                    self.fields.setdefault(name, []).append(attrs.get("value", "on"))
            elif kind not in ("submit", "button"):
                self.fields.setdefault(name, []).append(attrs.get("value", ""))
        elif tag == "textarea":
            self.textarea = name
            self.fields.setdefault(name, []).append("")

    def handle_data(self, data):
        if self.textarea:
            self.fields[self.textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            if self.textarea:
                # Browsers drop the newline that follows <textarea>.
                value = self.fields[self.textarea][-1]
                self.fields[self.textarea][-1] = value.removeprefix("\n")
            self.textarea = None
        elif tag == "form":
            self.in_form = False


def form_data(html: str, form_index: int = 0) -> dict[str, list[str]]:
    """The fields a browser would post from the page's n-th POST form (sign-out and briefing
    requests excluded)."""
    parser = _FormParser(form_index)
    parser.feed(html)
    return parser.fields


def changing_forms(html: str) -> int:
    """How many POST forms the page offers, not counting sign-out or briefing requests."""
    parser = _FormParser(-1)
    parser.feed(html)
    return parser.forms_seen + 1
