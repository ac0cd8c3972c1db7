"""Request and answer of manual sync: ``POST /api/v1/sync/push`` and ``/pull``."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, WithJsonSchema

from lienthong.kernel.schemas import Input, Output
from lienthong.kernel.web import MAX_ID
from lienthong.sync.manual import APPS
from lienthong.sync.rules.manual import KINDS

RecordId = Annotated[int, Field(ge=1, le=MAX_ID)]
# checked by the use case, so that every fault of a request is named at once in our words
KindName = Annotated[str, WithJsonSchema({"type": "string", "enum": list(KINDS)})]
AppName = Annotated[str, WithJsonSchema({"type": "string", "enum": list(APPS)})]


class ManualSyncRequest(Input):
    """Which records: ``ids`` (one or more) or ``"all": true`` (the whole kind; for a pull,
    every record that never reached the other app), never both."""

    kind: KindName = Field(
        description=(
            "The data kind (resource name). `price-policies` go from accounting only: each accounting policy becomes one CRM price policy per product group "
            "(a part of a group removed since is marked inactive), with an outcome per part; CRM's price policies never sync to accounting, "
            "so `from: crm` is refused (422 naming `from`)"
        ),
        examples=["customers"],
    )
    from_: AppName = Field(alias="from", description="The app the records come from; they go to the other app of the connection (for a pull too: `from` is the app pulled from)", examples=["crm"])
    ids: list[RecordId] | None = Field(None, description="Ids of records in the `from` app", examples=[[1, 2]])
    all: bool = Field(False, description="Every record of the kind (a pull: those with no counterpart yet)")


class ManualSyncTarget(Output):
    app: str
    kind: str | None
    id: int | None = Field(description="The counterpart's id (none when skipped or failed before it existed, or, in a preview, not made yet)")
    code: str | None


class ManualSyncItem(Output):
    """The outcome of one record; a price policy has one per CRM part (per product group)."""

    id: int = Field(description="The record's id in the `from` app")
    code: str
    outcome: str = Field(description="created | updated | linked | unchanged | skipped | failed (a price policy's part marked inactive: updated, or unchanged when it was already)", examples=["created"])
    reason: str = Field(description="What happened, in the request's language (also in the decision log, under the rule of manual sync for a push, of pulling on demand for a pull)")
    target: ManualSyncTarget


class ManualSyncCounts(Output):
    created: int
    updated: int
    linked: int
    unchanged: int
    skipped: int
    failed: int


class ManualSyncRead(Output):
    """The outcome per record (a preview: what the run will do, nothing written)."""

    direction: str = Field(examples=["pull"])
    kind: str = Field(examples=["customers"])
    from_: str = Field(alias="from", examples=["crm"])
    to: str = Field(examples=["accounting"])
    preview: bool
    counts: ManualSyncCounts
    items: list[ManualSyncItem]

