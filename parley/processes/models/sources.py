"""Sources and citations: every fact can say which article it rests on."""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from parley.core.fields import PartialDateField
from parley.processes.models.base import ProcessRecord


class Source(ProcessRecord):
    """A public (or confidential) document that facts in the record rest on."""

    class Kind(models.TextChoices):
        NEWS_ARTICLE = "news_article", "News article"
        OFFICIAL_STATEMENT = "official_statement", "Official statement"
        LETTER = "letter", "Letter"
        UN_DOCUMENT = "un_document", "UN document"
        INTERVIEW = "interview", "Interview"
        MEETING_RECORD = "meeting_record", "Meeting record"
        OTHER = "other", "Other"

    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.NEWS_ARTICLE)
    publisher = models.CharField(max_length=200, blank=True)
    author = models.CharField(max_length=200, blank=True)
    url = models.URLField(blank=True)
    published_on = PartialDateField()
    language = models.CharField(max_length=20, blank=True)
    excerpt = models.TextField(blank=True)

    class Meta(ProcessRecord.Meta):
        ordering = ["published_on", "title"]

    def __str__(self) -> str:
        return self.title


class Citation(models.Model):
    """A fact (a row, optionally one field of it) resting on a source, with the quote.

    A citation is shown only when the viewer may see both the row it cites and the source.
    """

    process = models.ForeignKey("processes.Process", on_delete=models.CASCADE, related_name="+")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="citations")
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    field = models.CharField(max_length=60, blank=True)
    quote = models.TextField(blank=True)
    locator = models.CharField(max_length=100, blank=True, help_text="Paragraph, page…")

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.source} → {self.target_type.model}#{self.target_id}"
