"""Each length limit of what people type, with its message, defined once: the model fields,
the forms and the services all read them from here. Pure: no Django imports."""

from dataclasses import dataclass


@dataclass(frozen=True)
class TextLimit:
    max_length: int
    # What the message calls the text, e.g. "The note".
    name: str

    @property
    def message(self) -> str:
        return f"{self.name} must be {self.max_length} characters or fewer"

    def exceeded_by(self, text: str) -> bool:
        return len(text) > self.max_length


NOTE = TextLimit(2000, "The note")
COMMENT = TextLimit(2000, "The comment")
TEXT_ANSWER = TextLimit(5000, "The answer")
LABEL = TextLimit(100, "The label")
REASON = TextLimit(2000, "The reason")
EVIDENCE_URL = TextLimit(500, "The evidence link")
OWNER_NAME = TextLimit(200, "The owner's name")
