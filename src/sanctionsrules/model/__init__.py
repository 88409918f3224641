"""The typed model of a transfer and the code types it uses."""

from sanctionsrules.model.codes import (
    Country,
    Currency,
    HsCode,
    Money,
    Quantity,
    Unit,
    convert_quantity,
    normalise_hs_code,
)
from sanctionsrules.model.transfer import (
    KINDS_WITHOUT_GOODS,
    ExemptionClaim,
    GoodsItem,
    Identifier,
    Party,
    PartyKind,
    Transfer,
    TransferKind,
)

__all__ = [
    "KINDS_WITHOUT_GOODS",
    "Country",
    "Currency",
    "ExemptionClaim",
    "GoodsItem",
    "HsCode",
    "Identifier",
    "Money",
    "Party",
    "PartyKind",
    "Quantity",
    "Transfer",
    "TransferKind",
    "Unit",
    "convert_quantity",
    "normalise_hs_code",
]
