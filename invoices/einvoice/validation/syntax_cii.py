"""UN/CEFACT CII D16B syntax binding rules (CII-SR-*, CII-DT-*) and code lists (BR-CL-*).

Follows the CEN/TC 434 Schematron (release 1.3.16, ``EN16931-CII-validation``). All
syntax rules of the official stylesheet sit in one Schematron pattern, so an element is
checked only by the *first* rule whose context it matches; the dispatch below keeps that
order (for instance ``rsm:ExchangedDocument/ram:TypeCode`` is a ``ram:TypeCode`` first,
so the "no attributes" rules CII-DT-010..012 never apply to it).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import invoices.einvoice.validation.codelists as cl
from invoices.einvoice.readers._common import line_of as _line_of
from invoices.einvoice.readers._common import string_value as _string_value
from invoices.einvoice.tags import (
    RAM,
    RAM_IBANID,
    RAM_ID,
    RAM_URIID,
    UDT,
    RAM_ActualAmount,
    RAM_AdditionalReferencedDocument,
    RAM_ApplicableHeaderTradeAgreement,
    RAM_ApplicableHeaderTradeDelivery,
    RAM_ApplicableHeaderTradeSettlement,
    RAM_ApplicableProductCharacteristic,
    RAM_ApplicableTradeTax,
    RAM_AppliedTradeAllowanceCharge,
    RAM_AssociatedDocumentLineDocument,
    RAM_AttachmentBinaryObject,
    RAM_BasisAmount,
    RAM_BilledQuantity,
    RAM_BusinessProcessSpecifiedDocumentContextParameter,
    RAM_BuyerTradeParty,
    RAM_CalculationPercent,
    RAM_CategoryCode,
    RAM_CategoryTradeTax,
    RAM_ChargeAmount,
    RAM_ChargeIndicator,
    RAM_Content,
    RAM_DefinedTradeContact,
    RAM_DepartmentName,
    RAM_Description,
    RAM_DueDateTypeCode,
    RAM_EndDateTime,
    RAM_ExemptionReason,
    RAM_ExemptionReasonCode,
    RAM_FormattedIssueDateTime,
    RAM_GlobalID,
    RAM_GrossPriceProductTradePrice,
    RAM_GuidelineSpecifiedDocumentContextParameter,
    RAM_IncludedNote,
    RAM_IncludedSupplyChainTradeLineItem,
    RAM_Information,
    RAM_LineID,
    RAM_Name,
    RAM_NetPriceProductTradePrice,
    RAM_OriginTradeCountry,
    RAM_PayeePartyCreditorFinancialAccount,
    RAM_PayeeSpecifiedCreditorFinancialInstitution,
    RAM_PayeeTradeParty,
    RAM_PayerSpecifiedDebtorFinancialInstitution,
    RAM_PaymentReference,
    RAM_PersonName,
    RAM_ProprietaryID,
    RAM_RateApplicablePercent,
    RAM_ReferenceTypeCode,
    RAM_SellerAssignedID,
    RAM_ShipToTradeParty,
    RAM_SpecifiedDocumentVersion,
    RAM_SpecifiedLineTradeAgreement,
    RAM_SpecifiedLineTradeDelivery,
    RAM_SpecifiedLineTradeSettlement,
    RAM_SpecifiedTaxRegistration,
    RAM_SpecifiedTradeAllowanceCharge,
    RAM_SpecifiedTradePaymentTerms,
    RAM_SpecifiedTradeProduct,
    RAM_SpecifiedTradeSettlementHeaderMonetarySummation,
    RAM_SpecifiedTradeSettlementPaymentMeans,
    RAM_StartDateTime,
    RAM_TaxPointDate,
    RAM_TypeCode,
    RAM_URIUniversalCommunication,
    RAM_Value,
    RSM_CrossIndustryInvoice,
    RSM_ExchangedDocument,
    RSM_ExchangedDocumentContext,
    RSM_SupplyChainTradeTransaction,
    UDT_DateTime,
    UDT_DateTimeString,
    UDT_Indicator,
)
from invoices.einvoice.validation.docindex import DocIndex, Path
from invoices.einvoice.validation.docindex import kid_map as _kid_map

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import TypeAlias

    from lxml import etree


__all__ = ["check_cii_syntax"]


# Full Clark tags, computed once: concatenating ``RAM + "Name"`` in the hot loops
# (each comparison of a child's tag) cost a string allocation per test.

SyntaxHit = tuple[str, str, "int | None"]

if TYPE_CHECKING:
    Check: TypeAlias = Callable[[Path, list[etree._Element], list[SyntaxHit], DocIndex], None]

_DATE_102 = re.compile(r"^\s*(\d{4})(1[0-2]|0[1-9])(3[01]|[12][0-9]|0[1-9])\s*$")
_CII_TYPE_CODES = cl.UBL_INVOICE_TYPE_CODES | cl.UBL_CREDIT_NOTE_TYPE_CODES
_DUE_DATE_TYPE_CODES = frozenset({"5", "29", "72"})

_REFERENCED_DOCUMENT_CHILDREN = (
    ("CII-DT-016", "StatusCode"),
    ("CII-DT-017", "CopyIndicator"),
    ("CII-DT-019", "GlobalID"),
    ("CII-DT-020", "RevisionID"),
    ("CII-DT-023", "Information"),
    ("CII-DT-025", "SectionName"),
    ("CII-DT-026", "PreviousRevisionID"),
    ("CII-DT-028", "EffectiveSpecifiedPeriod"),
    ("CII-DT-029", "IssuerTradeParty"),
    ("CII-DT-030", "AttachedSpecifiedBinaryFile"),
)
_PERIOD_CHILDREN = (
    ("CII-DT-069", "DurationMeasure"),
    ("CII-DT-070", "InclusiveIndicator"),
    ("CII-DT-071", "Description"),
    ("CII-DT-073", "CompleteDateTime"),
    ("CII-DT-074", "OpenIndicator"),
    ("CII-DT-075", "SeasonCode"),
    ("CII-DT-076", "ID"),
    ("CII-DT-077", "Name"),
    ("CII-DT-078", "SequenceNumeric"),
    ("CII-DT-079", "StartDateFlexibilityCode"),
    ("CII-DT-080", "ContinuousIndicator"),
    ("CII-DT-081", "PurposeCode"),
)
_ADDRESS_CHILDREN = (
    ("CII-DT-082", "ID"),
    ("CII-DT-083", "PostOfficeBox"),
    ("CII-DT-084", "BuildingName"),
    ("CII-DT-086", "LineFour"),
    ("CII-DT-087", "LineFive"),
    ("CII-DT-088", "StreetName"),
    ("CII-DT-089", "CitySubDivisionName"),
    ("CII-DT-090", "CountryName"),
    ("CII-DT-091", "CountrySubDivisionID"),
    ("CII-DT-092", "AttentionOf"),
    ("CII-DT-093", "CareOf"),
    ("CII-DT-094", "BuildingNumber"),
    ("CII-DT-095", "DepartmentName"),
    ("CII-DT-096", "AdditionalStreetName"),
)
_TRADE_TAX_WARNINGS = (
    ("CII-DT-038", "CalculatedRate"),
    ("CII-DT-039", "CalculationSequenceNumeric"),
    ("CII-DT-040", "BasisQuantity"),
    ("CII-DT-042", "UnitBasisAmount"),
    ("CII-DT-043", "LineTotalBasisAmount"),
    ("CII-DT-044", "AllowanceChargeBasisAmount"),
    ("CII-DT-049", "CurrencyCode"),
    ("CII-DT-050", "Jurisdiction"),
    ("CII-DT-051", "CustomsDutyIndicator"),
    ("CII-DT-053", "TaxBasisAllowanceRate"),
    ("CII-DT-055", "Type"),
    ("CII-DT-056", "InformationAmount"),
    ("CII-DT-057", "CategoryName"),
    ("CII-DT-060", "SpecifiedTradeAccountingAccount"),
    ("CII-DT-061", "ServiceSupplyTradeCountry"),
    ("CII-DT-062", "BuyerRepayableTaxSpecifiedTradeAccountingAccount"),
    ("CII-DT-063", "SellerPayableTaxSpecifiedTradeAccountingAccount"),
    ("CII-DT-064", "SellerRefundableTaxSpecifiedTradeAccountingAccount"),
    ("CII-DT-065", "BuyerDeductibleTaxSpecifiedTradeAccountingAccount"),
    ("CII-DT-066", "BuyerNonDeductibleTaxSpecifiedTradeAccountingAccount"),
    ("CII-DT-067", "PlaceApplicableTradeLocation"),
)

_SUMMATION_ONCE = (
    ("CII-SR-477", "LineTotalAmount"),
    ("CII-SR-478", "ChargeTotalAmount"),
    ("CII-SR-479", "AllowanceTotalAmount"),
    ("CII-SR-480", "TaxBasisTotalAmount"),
    ("CII-SR-481", "RoundingAmount"),
    ("CII-SR-482", "GrandTotalAmount"),
    ("CII-SR-483", "InformationAmount"),
    ("CII-SR-484", "TotalPrepaidAmount"),
    ("CII-SR-485", "TotalDiscountAmount"),
    ("CII-SR-486", "TotalAllowanceChargeAmount"),
    ("CII-SR-487", "DuePayableAmount"),
    ("CII-SR-488", "RetailValueExcludingTaxInformationAmount"),
    ("CII-SR-489", "TotalDepositFeeInformationAmount"),
    ("CII-SR-490", "ProductValueExcludingTobaccoTaxInformationAmount"),
    ("CII-SR-491", "TotalRetailValueInformationAmount"),
    ("CII-SR-492", "GrossLineTotalAmount"),
    ("CII-SR-493", "NetLineTotalAmount"),
    ("CII-SR-494", "NetIncludingTaxesLineTotalAmount"),
)

_ID_NO_ATTRIBUTES_PATHS = frozenset(
    {
        (
            RSM_ExchangedDocumentContext,
            RAM_GuidelineSpecifiedDocumentContextParameter,
            RAM_ID,
        ),
        (RSM_ExchangedDocument, RAM_ID),
        (
            RSM_SupplyChainTradeTransaction,
            RAM_IncludedSupplyChainTradeLineItem,
            RAM_AssociatedDocumentLineDocument,
            RAM_LineID,
        ),
        (
            RSM_SupplyChainTradeTransaction,
            RAM_IncludedSupplyChainTradeLineItem,
            RAM_SpecifiedTradeProduct,
            RAM_SellerAssignedID,
        ),
    }
)

# Warnings of the form "X should not be present" per context (element path below the root).
_LINE = (RSM_SupplyChainTradeTransaction, RAM_IncludedSupplyChainTradeLineItem)
_NOT_PRESENT: dict[tuple[str, ...], tuple[tuple[str, tuple[str, ...]], ...]] = {
    (RSM_ExchangedDocumentContext,): (
        ("CII-SR-001", ("SpecifiedTransactionID",)),
        ("CII-SR-002", ("TestIndicator",)),
        ("CII-SR-006", ("BIMSpecifiedDocumentContextParameter",)),
        ("CII-SR-007", ("ScenarioSpecifiedDocumentContextParameter",)),
        ("CII-SR-008", ("ApplicationSpecifiedDocumentContextParameter",)),
        ("CII-SR-011", ("SubsetSpecifiedDocumentContextParameter",)),
        ("CII-SR-012", ("MessageStandardSpecifiedDocumentContextParameter",)),
    ),
    (RSM_ExchangedDocument,): (
        ("CII-SR-013", ("Name",)),
        ("CII-SR-015", ("IssueDateTime", "udt:DateTime")),
        ("CII-SR-016", ("CopyIndicator",)),
        ("CII-SR-017", ("Purpose",)),
        ("CII-SR-018", ("ControlRequirementIndicator",)),
        ("CII-SR-019", ("LanguageID",)),
        ("CII-SR-020", ("PurposeCode",)),
        ("CII-SR-021", ("RevisionDateTime",)),
        ("CII-SR-022", ("VersionID",)),
        ("CII-SR-023", ("GlobalID",)),
        ("CII-SR-024", ("RevisionID",)),
        ("CII-SR-025", ("PreviousRevisionID",)),
        ("CII-SR-026", ("CategoryCode",)),
        ("CII-SR-027", ("IncludedNote", "Subject")),
        ("CII-SR-028", ("IncludedNote", "ContentCode")),
        ("CII-SR-032", ("IncludedNote", "ID")),
        ("CII-SR-033", ("EffectiveSpecifiedPeriod",)),
        ("CII-SR-034", ("IssuerTradeParty",)),
    ),
    _LINE: (
        ("CII-SR-035", ("DescriptionCode",)),
        ("CII-SR-221", ("IncludedSubordinateTradeLineItem",)),
    ),
    (*_LINE, RAM_SpecifiedTradeProduct): tuple(
        (rule, tuple(path.split("/")))
        for rule, path in (
            ("CII-SR-045", "ID"),
            ("CII-SR-048", "ManufacturerAssignedID"),
            ("CII-SR-049", "TradeName"),
            ("CII-SR-050", "TypeCode"),
            ("CII-SR-051", "NetWeightMeasure"),
            ("CII-SR-052", "GrossWeightMeasure"),
            ("CII-SR-053", "ProductGroupID"),
            ("CII-SR-054", "EndItemTypeCode"),
            ("CII-SR-055", "EndItemName"),
            ("CII-SR-056", "AreaDensityMeasure"),
            ("CII-SR-057", "UseDescription"),
            ("CII-SR-058", "BrandName"),
            ("CII-SR-059", "SubBrandName"),
            ("CII-SR-060", "DrainedNetWeightMeasure"),
            ("CII-SR-061", "VariableMeasureIndicator"),
            ("CII-SR-062", "ColourCode"),
            ("CII-SR-063", "ColourDescription"),
            ("CII-SR-064", "Designation"),
            ("CII-SR-065", "FormattedCancellationAnnouncedLaunchDateTime"),
            ("CII-SR-066", "FormattedLatestProductDataChangeDateTime"),
            ("CII-SR-067", "ApplicableProductCharacteristic/ID"),
            ("CII-SR-068", "ApplicableProductCharacteristic/TypeCode"),
            ("CII-SR-070", "ApplicableProductCharacteristic/ValueMeasure"),
            ("CII-SR-071", "ApplicableProductCharacteristic/MeasurementMethodCode"),
            ("CII-SR-073", "ApplicableProductCharacteristic/ValueCode"),
            ("CII-SR-074", "ApplicableProductCharacteristic/ValueDateTime"),
            ("CII-SR-075", "ApplicableProductCharacteristic/ValueIndicator"),
            ("CII-SR-076", "ApplicableProductCharacteristic/ContentTypeCode"),
            ("CII-SR-077", "ApplicableProductCharacteristic/ValueSpecifiedBinaryFile"),
            (
                "CII-SR-078",
                "ApplicableProductCharacteristic/ApplicableProductCharacteristicCondition",
            ),
            ("CII-SR-079", "ApplicableProductCharacteristic/ApplicableReferencedStandard"),
            ("CII-SR-080", "ApplicableMaterialGoodsCharacteristic"),
            ("CII-SR-081", "DesignatedProductClassification/SystemID"),
            ("CII-SR-082", "DesignatedProductClassification/SystemName"),
            ("CII-SR-083", "DesignatedProductClassification/ClassName"),
            ("CII-SR-084", "DesignatedProductClassification/SubClassCode"),
            ("CII-SR-085", "DesignatedProductClassification/ClassProductCharacteristic"),
            ("CII-SR-086", "DesignatedProductClassification/ApplicableReferencedStandard"),
            ("CII-SR-087", "IndividualTradeProductInstance"),
            ("CII-SR-088", "CertificationEvidenceReferenceReferencedDocument"),
            ("CII-SR-089", "InspectionReferenceReferencedDocument"),
            ("CII-SR-091", "OriginTradeCountry/Name"),
            ("CII-SR-092", "OriginTradeCountry/SubordinateTradeCountrySubDivision"),
            ("CII-SR-093", "LinearSpatialDimension"),
            ("CII-SR-094", "MinimumLinearSpatialDimension"),
            ("CII-SR-095", "MaximumLinearSpatialDimension"),
            ("CII-SR-096", "ManufacturerTradeParty"),
            ("CII-SR-097", "PresentationSpecifiedBinaryFile"),
            ("CII-SR-098", "MSDSReferenceReferencedDocument"),
            ("CII-SR-099", "AdditionalReferenceReferencedDocument"),
            ("CII-SR-100", "LegalRightsOwnerTradeParty"),
            ("CII-SR-101", "BrandOwnerTradeParty"),
            ("CII-SR-102", "IncludedReferencedProduct"),
            ("CII-SR-103", "InformationNote"),
        )
    ),
    (*_LINE, RAM_SpecifiedLineTradeAgreement): tuple(
        (rule, tuple(path.split("/")))
        for rule, path in (
            ("CII-SR-104", "BuyerReference"),
            ("CII-SR-105", "BuyerRequisitionerTradeParty"),
            ("CII-SR-106", "ApplicableTradeDeliveryTerms"),
            ("CII-SR-107", "SellerOrderReferencedDocument"),
            ("CII-SR-108", "BuyerOrderReferencedDocument/IssuerAssignedID"),
            ("CII-SR-109", "QuotationReferencedDocument"),
            ("CII-SR-110", "ContractReferencedDocument"),
            ("CII-SR-111", "DemandForecastReferencedDocument"),
            ("CII-SR-112", "PromotionalDealReferencedDocument"),
            ("CII-SR-113", "AdditionalReferencedDocument"),
            ("CII-SR-114", "GrossPriceProductTradePrice/TypeCode"),
            ("CII-SR-115", "GrossPriceProductTradePrice/MinimumQuantity"),
            ("CII-SR-116", "GrossPriceProductTradePrice/MaximumQuantity"),
            ("CII-SR-117", "GrossPriceProductTradePrice/ChangeReason"),
            ("CII-SR-118", "GrossPriceProductTradePrice/OrderUnitConversionFactorNumeric"),
            ("CII-SR-120", "GrossPriceProductTradePrice/AppliedTradeAllowanceCharge/ID"),
            (
                "CII-SR-121",
                "GrossPriceProductTradePrice/AppliedTradeAllowanceCharge/SequenceNumeric",
            ),
            (
                "CII-SR-122",
                "GrossPriceProductTradePrice/AppliedTradeAllowanceCharge/CalculationPercent",
            ),
            ("CII-SR-123", "GrossPriceProductTradePrice/AppliedTradeAllowanceCharge/BasisAmount"),
            ("CII-SR-124", "GrossPriceProductTradePrice/AppliedTradeAllowanceCharge/BasisQuantity"),
            (
                "CII-SR-125",
                "GrossPriceProductTradePrice/AppliedTradeAllowanceCharge/PrepaidIndicator",
            ),
            (
                "CII-SR-126",
                "GrossPriceProductTradePrice/AppliedTradeAllowanceCharge/UnitBasisAmount",
            ),
            ("CII-SR-127", "GrossPriceProductTradePrice/AppliedTradeAllowanceCharge/ReasonCode"),
            ("CII-SR-128", "GrossPriceProductTradePrice/AppliedTradeAllowanceCharge/Reason"),
            ("CII-SR-129", "GrossPriceProductTradePrice/AppliedTradeAllowanceCharge/TypeCode"),
            (
                "CII-SR-130",
                "GrossPriceProductTradePrice/AppliedTradeAllowanceCharge/CategoryTradeTax",
            ),
            (
                "CII-SR-131",
                "GrossPriceProductTradePrice/AppliedTradeAllowanceCharge/ActualTradeCurrencyExchange",
            ),
            ("CII-SR-445", "GrossPriceProductTradePrice/IncludedTradeTax"),
            ("CII-SR-132", "GrossPriceProductTradePrice/ValiditySpecifiedPeriod"),
            ("CII-SR-133", "GrossPriceProductTradePrice/DeliveryTradeLocation"),
            ("CII-SR-134", "GrossPriceProductTradePrice/TradeComparisonReferencePrice"),
            ("CII-SR-135", "GrossPriceProductTradePrice/AssociatedReferencedDocument"),
            ("CII-SR-136", "NetPriceProductTradePrice/TypeCode"),
            ("CII-SR-138", "NetPriceProductTradePrice/MinimumQuantity"),
            ("CII-SR-139", "NetPriceProductTradePrice/MaximumQuantity"),
            ("CII-SR-140", "NetPriceProductTradePrice/ChangeReason"),
            ("CII-SR-141", "NetPriceProductTradePrice/OrderUnitConversionFactorNumeric"),
            ("CII-SR-142", "NetPriceProductTradePrice/AppliedTradeAllowanceCharge"),
            ("CII-SR-446", "NetPriceProductTradePrice/IncludedTradeTax"),
            ("CII-SR-143", "NetPriceProductTradePrice/ValiditySpecifiedPeriod"),
            ("CII-SR-144", "NetPriceProductTradePrice/DeliveryTradeLocation"),
            ("CII-SR-145", "NetPriceProductTradePrice/TradeComparisonReferencePrice"),
            ("CII-SR-146", "NetPriceProductTradePrice/AssociatedReferencedDocument"),
            ("CII-SR-147", "RequisitionerReferencedDocument"),
            ("CII-SR-148", "ItemSellerTradeParty"),
            ("CII-SR-149", "ItemBuyerTradeParty"),
            ("CII-SR-150", "IncludedSpecifiedMarketplace"),
            ("CII-SR-447", "UltimateCustomerOrderReferencedDocument"),
        )
    ),
    (*_LINE, RAM_SpecifiedLineTradeDelivery): tuple(
        (rule, (name,))
        for rule, name in (
            ("CII-SR-151", "RequestedQuantity"),
            ("CII-SR-152", "ReceivedQuantity"),
            ("CII-SR-153", "ChargeFreeQuantity"),
            ("CII-SR-154", "PackageQuantity"),
            ("CII-SR-155", "ProductUnitQuantity"),
            ("CII-SR-156", "PerPackageUnitQuantity"),
            ("CII-SR-157", "NetWeightMeasure"),
            ("CII-SR-158", "GrossWeightMeasure"),
            ("CII-SR-159", "TheoreticalWeightMeasure"),
            ("CII-SR-160", "DespatchedQuantity"),
            ("CII-SR-161", "SpecifiedDeliveryAdjustment"),
            ("CII-SR-162", "IncludedSupplyChainPackaging"),
            ("CII-SR-163", "RelatedSupplyChainConsignment"),
            ("CII-SR-164", "ShipToTradeParty"),
            ("CII-SR-165", "UltimateShipToTradeParty"),
            ("CII-SR-166", "ShipFromTradeParty"),
            ("CII-SR-167", "ActualDespatchSupplyChainEvent"),
            ("CII-SR-168", "ActualPickUpSupplyChainEvent"),
            ("CII-SR-169", "RequestedDeliverySupplyChainEvent"),
            ("CII-SR-170", "ActualDeliverySupplyChainEvent"),
            ("CII-SR-171", "ActualReceiptSupplyChainEvent"),
            ("CII-SR-172", "AdditionalReferencedDocument"),
            ("CII-SR-173", "DespatchAdviceReferencedDocument"),
            ("CII-SR-174", "ReceivingAdviceReferencedDocument"),
            ("CII-SR-175", "DeliveryNoteReferencedDocument"),
            ("CII-SR-176", "ConsumptionReportReferencedDocument"),
            ("CII-SR-177", "PackingListReferencedDocument"),
        )
    ),
    (*_LINE, RAM_SpecifiedLineTradeSettlement): tuple(
        (rule, tuple(path.split("/")))
        for rule, path in (
            ("CII-SR-178", "PaymentReference"),
            ("CII-SR-179", "InvoiceIssuerReference"),
            ("CII-SR-180", "TotalAdjustmentAmount"),
            ("CII-SR-181", "DiscountIndicator"),
            ("CII-SR-182", "ApplicableTradeTax/CalculatedAmount"),
            ("CII-SR-194", "SubtotalCalculatedTradeTax"),
            ("CII-SR-195", "SpecifiedLogisticsServiceCharge"),
            ("CII-SR-196", "SpecifiedTradePaymentTerms"),
            ("CII-SR-197", "SpecifiedTradeSettlementLineMonetarySummation/ChargeTotalAmount"),
            ("CII-SR-198", "SpecifiedTradeSettlementLineMonetarySummation/AllowanceTotalAmount"),
            ("CII-SR-199", "SpecifiedTradeSettlementLineMonetarySummation/TaxBasisTotalAmount"),
            ("CII-SR-200", "SpecifiedTradeSettlementLineMonetarySummation/TaxTotalAmount"),
            ("CII-SR-201", "SpecifiedTradeSettlementLineMonetarySummation/GrandTotalAmount"),
            ("CII-SR-202", "SpecifiedTradeSettlementLineMonetarySummation/InformationAmount"),
            (
                "CII-SR-203",
                "SpecifiedTradeSettlementLineMonetarySummation/TotalAllowanceChargeAmount",
            ),
            (
                "CII-SR-204",
                "SpecifiedTradeSettlementLineMonetarySummation/TotalRetailValueInformationAmount",
            ),
            ("CII-SR-205", "SpecifiedTradeSettlementLineMonetarySummation/GrossLineTotalAmount"),
            ("CII-SR-206", "SpecifiedTradeSettlementLineMonetarySummation/NetLineTotalAmount"),
            (
                "CII-SR-207",
                "SpecifiedTradeSettlementLineMonetarySummation/NetIncludingTaxesLineTotalAmount",
            ),
            (
                "CII-SR-208",
                "SpecifiedTradeSettlementLineMonetarySummation/ProductWeightLossInformationAmount",
            ),
            ("CII-SR-209", "SpecifiedFinancialAdjustment"),
            ("CII-SR-210", "InvoiceReferencedDocument"),
            ("CII-SR-212", "PayableSpecifiedTradeAccountingAccount"),
            ("CII-SR-213", "ReceivableSpecifiedTradeAccountingAccount/SetTriggerCode"),
            ("CII-SR-214", "ReceivableSpecifiedTradeAccountingAccount/TypeCode"),
            ("CII-SR-215", "ReceivableSpecifiedTradeAccountingAccount/AmountTypeCode"),
            ("CII-SR-216", "ReceivableSpecifiedTradeAccountingAccount/Name"),
            (
                "CII-SR-217",
                "ReceivableSpecifiedTradeAccountingAccount/CostReferenceDimensionPattern",
            ),
            ("CII-SR-218", "PurchaseSpecifiedTradeAccountingAccount"),
            ("CII-SR-219", "SalesSpecifiedTradeAccountingAccount"),
            ("CII-SR-220", "SpecifiedTradeSettlementFinancialCard"),
        )
    ),
    (RSM_SupplyChainTradeTransaction, RAM_ApplicableHeaderTradeSettlement): tuple(
        (rule, tuple(path.split("/")))
        for rule, path in (
            ("CII-SR-339", "DuePayableAmount"),
            ("CII-SR-340", "CreditorReferenceTypeCode"),
            ("CII-SR-341", "CreditorReferenceType"),
            ("CII-SR-342", "CreditorReferenceIssuerID"),
            ("CII-SR-344", "PaymentCurrencyCode"),
            ("CII-SR-345", "InvoiceIssuerReference"),
            ("CII-SR-346", "InvoiceDateTime"),
            ("CII-SR-347", "NextInvoiceDateTime"),
            ("CII-SR-348", "CreditReasonCode"),
            ("CII-SR-349", "CreditReason"),
            ("CII-SR-350", "InvoicerTradeParty"),
            ("CII-SR-351", "InvoiceeTradeParty"),
            ("CII-SR-365", "PayerTradeParty"),
            ("CII-SR-366", "TaxApplicableTradeCurrencyExchange"),
            ("CII-SR-367", "InvoiceApplicableTradeCurrencyExchange"),
            ("CII-SR-368", "PaymentApplicableTradeCurrencyExchange"),
            ("CII-SR-421", "SpecifiedFinancialAdjustment"),
            ("CII-SR-423", "ProFormaInvoiceReferencedDocument"),
            ("CII-SR-424", "LetterOfCreditReferencedDocument"),
            ("CII-SR-425", "FactoringAgreementReferencedDocument"),
            ("CII-SR-426", "FactoringListReferencedDocument"),
            ("CII-SR-427", "PayableSpecifiedTradeAccountingAccount"),
            ("CII-SR-428", "ReceivableSpecifiedTradeAccountingAccount/SetTriggerCode"),
            ("CII-SR-429", "ReceivableSpecifiedTradeAccountingAccount/TypeCode"),
            ("CII-SR-430", "ReceivableSpecifiedTradeAccountingAccount/AmountTypeCode"),
            ("CII-SR-431", "ReceivableSpecifiedTradeAccountingAccount/Name"),
            (
                "CII-SR-432",
                "ReceivableSpecifiedTradeAccountingAccount/CostReferenceDimensionPattern",
            ),
            ("CII-SR-433", "PurchaseSpecifiedTradeAccountingAccount"),
            ("CII-SR-434", "SalesSpecifiedTradeAccountingAccount"),
            ("CII-SR-435", "SpecifiedTradeSettlementFinancialCard"),
            ("CII-SR-436", "SpecifiedAdvancePayment"),
            ("CII-SR-437", "UltimatePayeeTradeParty"),
        )
    ),
    (
        RSM_SupplyChainTradeTransaction,
        RAM_ApplicableHeaderTradeSettlement,
        RAM_SpecifiedTradeSettlementHeaderMonetarySummation,
    ): tuple(
        (rule, (name,))
        for rule, name in (
            ("CII-SR-411", "InformationAmount"),
            ("CII-SR-412", "TotalDiscountAmount"),
            ("CII-SR-413", "TotalAllowanceChargeAmount"),
            ("CII-SR-414", "RetailValueExcludingTaxInformationAmount"),
            ("CII-SR-415", "TotalDepositFeeInformationAmount"),
            ("CII-SR-416", "ProductValueExcludingTobaccoTaxInformationAmount"),
            ("CII-SR-417", "TotalRetailValueInformationAmount"),
            ("CII-SR-418", "GrossLineTotalAmount"),
            ("CII-SR-419", "NetLineTotalAmount"),
            ("CII-SR-420", "NetIncludingTaxesLineTotalAmount"),
        )
    ),
}

_HEADER_AGREEMENT = (RSM_SupplyChainTradeTransaction, RAM_ApplicableHeaderTradeAgreement)
_HEADER_DELIVERY = (RSM_SupplyChainTradeTransaction, RAM_ApplicableHeaderTradeDelivery)
_HEADER_SETTLEMENT = (RSM_SupplyChainTradeTransaction, RAM_ApplicableHeaderTradeSettlement)


def _rules(pairs: tuple[tuple[str, str], ...]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((rule, tuple(path.split("/"))) for rule, path in pairs)


_NOT_PRESENT[_HEADER_AGREEMENT] = _rules(
    (
        ("CII-SR-442", "Reference"),
        ("CII-SR-222", "SellerTradeParty/RoleCode"),
        ("CII-SR-223", "SellerTradeParty/SpecifiedLegalOrganization/LegalClassificationCode"),
        ("CII-SR-224", "SellerTradeParty/SpecifiedLegalOrganization/Name"),
        ("CII-SR-225", "SellerTradeParty/SpecifiedLegalOrganization/PostalTradeAddress"),
        ("CII-SR-226", "SellerTradeParty/SpecifiedLegalOrganization/AuthorizedLegalRegistration"),
        ("CII-SR-227", "SellerTradeParty/DefinedTradeContact/ID"),
        ("CII-SR-228", "SellerTradeParty/DefinedTradeContact/TypeCode"),
        ("CII-SR-229", "SellerTradeParty/DefinedTradeContact/JobTitle"),
        ("CII-SR-230", "SellerTradeParty/DefinedTradeContact/Responsibility"),
        ("CII-SR-231", "SellerTradeParty/DefinedTradeContact/PersonID"),
        (
            "CII-SR-232",
            "SellerTradeParty/DefinedTradeContact/TelephoneUniversalCommunication/URIID",
        ),
        (
            "CII-SR-233",
            "SellerTradeParty/DefinedTradeContact/TelephoneUniversalCommunication/ChannelCode",
        ),
        (
            "CII-SR-234",
            "SellerTradeParty/DefinedTradeContact/DirectTelephoneUniversalCommunication",
        ),
        (
            "CII-SR-235",
            "SellerTradeParty/DefinedTradeContact/MobileTelephoneUniversalCommunication",
        ),
        ("CII-SR-236", "SellerTradeParty/DefinedTradeContact/FaxUniversalCommunication"),
        (
            "CII-SR-237",
            "SellerTradeParty/DefinedTradeContact/EmailURIUniversalCommunication/ChannelCode",
        ),
        (
            "CII-SR-238",
            "SellerTradeParty/DefinedTradeContact/EmailURIUniversalCommunication/CompleteNumber",
        ),
        ("CII-SR-239", "SellerTradeParty/DefinedTradeContact/TelexUniversalCommunication"),
        ("CII-SR-240", "SellerTradeParty/DefinedTradeContact/VOIPUniversalCommunication"),
        (
            "CII-SR-241",
            "SellerTradeParty/DefinedTradeContact/InstantMessagingUniversalCommunication",
        ),
        ("CII-SR-242", "SellerTradeParty/DefinedTradeContact/SpecifiedNote"),
        ("CII-SR-243", "SellerTradeParty/DefinedTradeContact/SpecifiedContactPerson"),
        ("CII-SR-244", "SellerTradeParty/URIUniversalCommunication/ChannelCode"),
        ("CII-SR-245", "SellerTradeParty/URIUniversalCommunication/CompleteNumber"),
        ("CII-SR-246", "SellerTradeParty/SpecifiedTaxRegistration/AssociatedRegisteredTax"),
        ("CII-SR-247", "SellerTradeParty/EndPointURIUniversalCommunication"),
        ("CII-SR-248", "SellerTradeParty/LogoAssociatedSpecifiedBinaryFile"),
        ("CII-SR-249", "BuyerTradeParty/RoleCode"),
        ("CII-SR-250", "BuyerTradeParty/Description"),
        ("CII-SR-251", "BuyerTradeParty/SpecifiedLegalOrganization/LegalClassificationCode"),
        ("CII-SR-252", "BuyerTradeParty/SpecifiedLegalOrganization/Name"),
        ("CII-SR-254", "BuyerTradeParty/SpecifiedLegalOrganization/PostalTradeAddress"),
        ("CII-SR-255", "BuyerTradeParty/SpecifiedLegalOrganization/AuthorizedLegalRegistration"),
        ("CII-SR-256", "BuyerTradeParty/DefinedTradeContact/ID"),
        ("CII-SR-257", "BuyerTradeParty/DefinedTradeContact/TypeCode"),
        ("CII-SR-258", "BuyerTradeParty/DefinedTradeContact/JobTitle"),
        ("CII-SR-259", "BuyerTradeParty/DefinedTradeContact/Responsibility"),
        ("CII-SR-260", "BuyerTradeParty/DefinedTradeContact/PersonID"),
        ("CII-SR-261", "BuyerTradeParty/DefinedTradeContact/TelephoneUniversalCommunication/URIID"),
        (
            "CII-SR-262",
            "BuyerTradeParty/DefinedTradeContact/TelephoneUniversalCommunication/ChannelCode",
        ),
        ("CII-SR-263", "BuyerTradeParty/DefinedTradeContact/DirectTelephoneUniversalCommunication"),
        ("CII-SR-264", "BuyerTradeParty/DefinedTradeContact/MobileTelephoneUniversalCommunication"),
        ("CII-SR-265", "BuyerTradeParty/DefinedTradeContact/FaxUniversalCommunication"),
        (
            "CII-SR-266",
            "BuyerTradeParty/DefinedTradeContact/EmailURIUniversalCommunication/ChannelCode",
        ),
        (
            "CII-SR-267",
            "BuyerTradeParty/DefinedTradeContact/EmailURIUniversalCommunication/CompleteNumber",
        ),
        ("CII-SR-268", "BuyerTradeParty/DefinedTradeContact/TelexUniversalCommunication"),
        ("CII-SR-269", "BuyerTradeParty/DefinedTradeContact/VOIPUniversalCommunication"),
        (
            "CII-SR-270",
            "BuyerTradeParty/DefinedTradeContact/InstantMessagingUniversalCommunication",
        ),
        ("CII-SR-271", "BuyerTradeParty/DefinedTradeContact/SpecifiedNote"),
        ("CII-SR-272", "BuyerTradeParty/DefinedTradeContact/SpecifiedContactPerson"),
        ("CII-SR-273", "BuyerTradeParty/URIUniversalCommunication/ChannelCode"),
        ("CII-SR-274", "BuyerTradeParty/URIUniversalCommunication/CompleteNumber"),
        ("CII-SR-275", "BuyerTradeParty/SpecifiedTaxRegistration/AssociatedRegisteredTax"),
        ("CII-SR-276", "BuyerTradeParty/EndPointURIUniversalCommunication"),
        ("CII-SR-277", "BuyerTradeParty/LogoAssociatedSpecifiedBinaryFile"),
        ("CII-SR-278", "SalesAgentTradeParty"),
        ("CII-SR-279", "BuyerRequisitionerTradeParty"),
        ("CII-SR-280", "BuyerAssignedAccountantTradeParty"),
        ("CII-SR-281", "SellerAssignedAccountantTradeParty"),
        ("CII-SR-282", "BuyerTaxRepresentativeTradeParty"),
        ("CII-SR-282", "SellerTaxRepresentativeTradeParty/ID"),
        ("CII-SR-283", "SellerTaxRepresentativeTradeParty/GlobalID"),
        ("CII-SR-284", "SellerTaxRepresentativeTradeParty/RoleCode"),
        ("CII-SR-285", "SellerTaxRepresentativeTradeParty/Description"),
        ("CII-SR-286", "SellerTaxRepresentativeTradeParty/SpecifiedLegalOrganization"),
        ("CII-SR-287", "SellerTaxRepresentativeTradeParty/DefinedTradeContact"),
        ("CII-SR-288", "SellerTaxRepresentativeTradeParty/URIUniversalCommunication"),
        (
            "CII-SR-289",
            "SellerTaxRepresentativeTradeParty/SpecifiedTaxRegistration/AssociatedRegisteredTax",
        ),
        ("CII-SR-290", "SellerTaxRepresentativeTradeParty/EndPointURIUniversalCommunication"),
        ("CII-SR-291", "SellerTaxRepresentativeTradeParty/LogoAssociatedSpecifiedBinaryFile"),
        ("CII-SR-292", "ProductEndUserTradeParty"),
        ("CII-SR-293", "ApplicableTradeDeliveryTerms"),
        ("CII-SR-294", "SellerOrderReferencedDocument/LineID"),
        ("CII-SR-295", "BuyerOrderReferencedDocument/LineID"),
        ("CII-SR-296", "QuotationReferencedDocument"),
        ("CII-SR-297", "OrderResponseReferencedDocument"),
        ("CII-SR-298", "ContractReferencedDocument/LineID"),
        ("CII-SR-299", "DemandForecastReferencedDocument"),
        ("CII-SR-300", "SupplyInstructionReferencedDocument"),
        ("CII-SR-301", "PromotionalDealReferencedDocument"),
        ("CII-SR-302", "PriceListReferencedDocument"),
        ("CII-SR-303", "AdditionalReferencedDocument/LineID"),
        ("CII-SR-304", "RequisitionerReferencedDocument"),
        ("CII-SR-305", "BuyerAgentTradeParty"),
        ("CII-SR-306", "PurchaseConditionsReferencedDocument"),
        ("CII-SR-307", "SpecifiedProcuringProject/Description"),
        ("CII-SR-448", "UltimateCustomerOrderReferencedDocument"),
    )
)
_NOT_PRESENT[_HEADER_DELIVERY] = _rules(
    (
        ("CII-SR-308", "RelatedSupplyChainConsignment"),
        ("CII-SR-309", "ShipToTradeParty/RoleCode"),
        ("CII-SR-310", "ShipToTradeParty/Description"),
        ("CII-SR-311", "ShipToTradeParty/SpecifiedLegalOrganization"),
        ("CII-SR-312", "ShipToTradeParty/DefinedTradeContact"),
        ("CII-SR-313", "ShipToTradeParty/URIUniversalCommunication"),
        ("CII-SR-314", "ShipToTradeParty/SpecifiedTaxRegistration"),
        ("CII-SR-315", "ShipToTradeParty/EndPointURIUniversalCommunication"),
        ("CII-SR-316", "ShipToTradeParty/LogoAssociatedSpecifiedBinaryFile"),
        ("CII-SR-317", "UltimateShipToTradeParty"),
        ("CII-SR-318", "ShipFromTradeParty"),
        ("CII-SR-319", "ActualDespatchSupplyChainEvent"),
        ("CII-SR-320", "ActualPickUpSupplyChainEvent"),
        ("CII-SR-321", "ActualDeliverySupplyChainEvent/ID"),
        ("CII-SR-322", "ActualDeliverySupplyChainEvent/OccurrenceDateTime/udt:DateTime"),
        ("CII-SR-323", "ActualDeliverySupplyChainEvent/TypeCode"),
        ("CII-SR-324", "ActualDeliverySupplyChainEvent/Description"),
        ("CII-SR-325", "ActualDeliverySupplyChainEvent/DescriptionBinaryObject"),
        ("CII-SR-326", "ActualDeliverySupplyChainEvent/UnitQuantity"),
        ("CII-SR-327", "ActualDeliverySupplyChainEvent/LatestOccurrenceDateTime"),
        ("CII-SR-328", "ActualDeliverySupplyChainEvent/EarliestOccurrenceDateTime"),
        ("CII-SR-329", "ActualDeliverySupplyChainEvent/OccurrenceSpecifiedPeriod"),
        ("CII-SR-330", "ActualDeliverySupplyChainEvent/OccurrenceLogisticsLocation"),
        ("CII-SR-331", "ActualReceiptSupplyChainEvent"),
        ("CII-SR-332", "AdditionalReferencedDocument"),
        ("CII-SR-333", "DespatchAdviceReferencedDocument/LineID"),
        ("CII-SR-334", "ReceivingAdviceReferencedDocument/LineID"),
        ("CII-SR-335", "DeliveryNoteReferencedDocument"),
        ("CII-SR-336", "ConsumptionReportReferencedDocument"),
        ("CII-SR-337", "PreviousDeliverySupplyChainEvent"),
        ("CII-SR-338", "PackingListReferencedDocument"),
    )
)
_NOT_PRESENT[_HEADER_SETTLEMENT] = _NOT_PRESENT[_HEADER_SETTLEMENT] + _rules(
    (
        ("CII-SR-352", "PayeeTradeParty/RoleCode"),
        ("CII-SR-353", "PayeeTradeParty/Description"),
        ("CII-SR-354", "PayeeTradeParty/SpecifiedLegalOrganization/LegalClassificationCode"),
        ("CII-SR-355", "PayeeTradeParty/SpecifiedLegalOrganization/Name"),
        ("CII-SR-356", "PayeeTradeParty/SpecifiedLegalOrganization/TradingBusinessName"),
        ("CII-SR-357", "PayeeTradeParty/SpecifiedLegalOrganization/PostalTradeAddress"),
        ("CII-SR-358", "PayeeTradeParty/SpecifiedLegalOrganization/AuthorizedLegalRegistration"),
        ("CII-SR-359", "PayeeTradeParty/DefinedTradeContact"),
        ("CII-SR-360", "PayeeTradeParty/PostalTradeAddress"),
        ("CII-SR-361", "PayeeTradeParty/URIUniversalCommunication"),
        ("CII-SR-362", "PayeeTradeParty/SpecifiedTaxRegistration"),
        ("CII-SR-363", "PayeeTradeParty/EndPointURIUniversalCommunication"),
        ("CII-SR-364", "PayeeTradeParty/LogoAssociatedSpecifiedBinaryFile"),
        ("CII-SR-369", "SpecifiedTradeSettlementPaymentMeans/PaymentChannelCode"),
        ("CII-SR-370", "SpecifiedTradeSettlementPaymentMeans/GuaranteeMethodCode"),
        ("CII-SR-371", "SpecifiedTradeSettlementPaymentMeans/PaymentMethodCode"),
        ("CII-SR-443", "SpecifiedTradeSettlementPaymentMeans/ID"),
        (
            "CII-SR-372",
            "SpecifiedTradeSettlementPaymentMeans/ApplicableTradeSettlementFinancialCard/MicrochipIndicator",
        ),
        (
            "CII-SR-373",
            "SpecifiedTradeSettlementPaymentMeans/ApplicableTradeSettlementFinancialCard/TypeCode",
        ),
        (
            "CII-SR-375",
            "SpecifiedTradeSettlementPaymentMeans/ApplicableTradeSettlementFinancialCard/ExpiryDate",
        ),
        (
            "CII-SR-376",
            "SpecifiedTradeSettlementPaymentMeans/ApplicableTradeSettlementFinancialCard/VerificationNumeric",
        ),
        (
            "CII-SR-377",
            "SpecifiedTradeSettlementPaymentMeans/ApplicableTradeSettlementFinancialCard/ValidFromDateTime",
        ),
        (
            "CII-SR-378",
            "SpecifiedTradeSettlementPaymentMeans/ApplicableTradeSettlementFinancialCard/CreditLimitAmount",
        ),
        (
            "CII-SR-379",
            "SpecifiedTradeSettlementPaymentMeans/ApplicableTradeSettlementFinancialCard/CreditAvailableAmount",
        ),
        (
            "CII-SR-380",
            "SpecifiedTradeSettlementPaymentMeans/ApplicableTradeSettlementFinancialCard/InterestRatePercent",
        ),
        (
            "CII-SR-381",
            "SpecifiedTradeSettlementPaymentMeans/ApplicableTradeSettlementFinancialCard/Description",
        ),
        (
            "CII-SR-382",
            "SpecifiedTradeSettlementPaymentMeans/PayerPartyDebtorFinancialAccount/AccountName",
        ),
        (
            "CII-SR-444",
            "SpecifiedTradeSettlementPaymentMeans/PayerPartyDebtorFinancialAccount/ProprietaryID",
        ),
        (
            "CII-SR-384",
            "SpecifiedTradeSettlementPaymentMeans/PayerSpecifiedDebtorFinancialInstitution/ClearingSystemName",
        ),
        (
            "CII-SR-385",
            "SpecifiedTradeSettlementPaymentMeans/PayerSpecifiedDebtorFinancialInstitution/Name",
        ),
        (
            "CII-SR-386",
            "SpecifiedTradeSettlementPaymentMeans/PayerSpecifiedDebtorFinancialInstitution/LocationFinancialInstitutionAddress",
        ),
        ("CII-SR-388", "SpecifiedTradeAllowanceCharge/ID"),
        ("CII-SR-389", "SpecifiedTradeAllowanceCharge/SequenceNumeric"),
        ("CII-SR-390", "SpecifiedTradeAllowanceCharge/BasisQuantity"),
        ("CII-SR-391", "SpecifiedTradeAllowanceCharge/PrepaidIndicator"),
        ("CII-SR-392", "SpecifiedTradeAllowanceCharge/UnitBasisAmount"),
        ("CII-SR-393", "SpecifiedTradeAllowanceCharge/TypeCode"),
        ("CII-SR-394", "SpecifiedTradeAllowanceCharge/ActualTradeCurrencyExchange"),
        ("CII-SR-395", "SubtotalCalculatedTradeTax"),
        ("CII-SR-396", "SpecifiedLogisticsServiceCharge"),
        ("CII-SR-397", "SpecifiedTradePaymentTerms/ID"),
        ("CII-SR-398", "SpecifiedTradePaymentTerms/FromEventCode"),
        ("CII-SR-399", "SpecifiedTradePaymentTerms/SettlementPeriodMeasure"),
        ("CII-SR-400", "SpecifiedTradePaymentTerms/DueDateDateTime/udt:DateTime"),
        ("CII-SR-401", "SpecifiedTradePaymentTerms/TypeCode"),
        ("CII-SR-402", "SpecifiedTradePaymentTerms/InstructionTypeCode"),
        ("CII-SR-404", "SpecifiedTradePaymentTerms/PartialPaymentPercent"),
        ("CII-SR-405", "SpecifiedTradePaymentTerms/PaymentMeansID"),
        ("CII-SR-406", "SpecifiedTradePaymentTerms/PartialPaymentAmount"),
        ("CII-SR-407", "SpecifiedTradePaymentTerms/ApplicableTradePaymentPenaltyTerms"),
        ("CII-SR-408", "SpecifiedTradePaymentTerms/ApplicableTradePaymentDiscountTerms"),
        ("CII-SR-409", "SpecifiedTradePaymentTerms/PayeeTradeParty"),
        ("CII-SR-422", "InvoiceReferencedDocument/LineID"),
    )
)
_NOT_PRESENT[(*_LINE, RAM_SpecifiedLineTradeSettlement)] += _rules(
    (
        ("CII-SR-183", "SpecifiedTradeAllowanceCharge/ChargeIndicator/udt:IndicatorString"),
        ("CII-SR-184", "SpecifiedTradeAllowanceCharge/ID"),
        ("CII-SR-185", "SpecifiedTradeAllowanceCharge/SequenceNumeric"),
        ("CII-SR-187", "SpecifiedTradeAllowanceCharge/BasisQuantity"),
        ("CII-SR-188", "SpecifiedTradeAllowanceCharge/PrepaidIndicator"),
        ("CII-SR-189", "SpecifiedTradeAllowanceCharge/UnitBasisAmount"),
        ("CII-SR-190", "SpecifiedTradeAllowanceCharge/TypeCode"),
        ("CII-SR-191", "SpecifiedTradeAllowanceCharge/CategoryTradeTax"),
        ("CII-SR-192", "SpecifiedTradeAllowanceCharge/ActualTradeCurrencyExchange"),
        ("CII-SR-193", "SpecifiedTradeAllowanceCharge/ID"),
    )
)
_NOT_PRESENT[_LINE] += _rules(
    (
        ("CII-SR-036", "ParentLineID"),
        ("CII-SR-037", "LineStatusCode"),
        ("CII-SR-038", "LineStatusReasonCode"),
    )
)
_NOT_PRESENT[
    (
        RSM_SupplyChainTradeTransaction,
        RAM_IncludedSupplyChainTradeLineItem,
        RAM_AssociatedDocumentLineDocument,
    )
] = _rules(
    (
        ("CII-SR-041", "IncludedNote/SubjectCode"),
        ("CII-SR-042", "IncludedNote/ID"),
        ("CII-SR-043", "IncludedNote/Subject"),
        ("CII-SR-044", "IncludedNote/ContentCode"),
    )
)
_NOT_PRESENT[()] = _rules((("CII-SR-438", "ValuationBreakdownStatement"),))


def _tag(name: str) -> str:
    if name.startswith("udt:"):
        return UDT + name[4:]
    return RAM + name


_NOT_PRESENT_PATHS: dict[tuple[str, ...], list[str]] = {}
for _context, _rules_list in _NOT_PRESENT.items():
    for _rule, _steps in _rules_list:
        _NOT_PRESENT_PATHS.setdefault((*_context, *(_tag(n) for n in _steps)), []).append(_rule)


def _children(el: etree._Element, tag: str) -> list[etree._Element]:
    return [c for c in el if c.tag == tag]


def _first(el: etree._Element, tag: str) -> etree._Element | None:
    for c in el:
        if c.tag == tag:
            return c
    return None


def _count_path(el: etree._Element, tags: tuple[str, ...]) -> int:
    nodes = [el]
    for tag in tags:
        nodes = [c for n in nodes for c in n if c.tag == tag]
    return len(nodes)


def _n(el: etree._Element | None) -> str:
    if el is None:
        return ""
    text = el.text if len(el) == 0 else _string_value(el)
    return " ".join(text.split()) if text else ""


def check_cii_syntax(root: etree._Element, index: DocIndex | None = None) -> list[SyntaxHit]:
    """Return ``(rule_id, flag, line)`` for CII syntax and code-list rules."""
    idx = index if index is not None else DocIndex(root)
    by_path = idx.by_path
    hits: list[SyntaxHit] = []
    add = hits.append
    anchored = root.tag == RSM_CrossIndustryInvoice
    billed_unit = anchored and any(
        q.get("unitCode") is not None for q in by_path.get(_BILLED_QUANTITY_PATH, ())
    )
    if anchored:
        _anchored_rules(root, hits)
        for rule_path in _NOT_PRESENT_PATHS.keys() & by_path.keys():
            line = _line_of(by_path[rule_path][0])
            for rule in _NOT_PRESENT_PATHS[rule_path]:
                add((rule, "warning", line))
        for attr, rule in (("languageID", "CII-DT-013"), ("languageLocaleID", "CII-DT-014")):
            if root.get(attr) is not None:
                add((rule, "fatal", _line_of(root)))
    due_date_codes: set[str] = set()
    root_tag = root.tag
    for path, elements in by_path.items():
        tag = path[-1]
        ptag = path[-2] if len(path) > 1 else root_tag
        kind = _KINDS.get((tag, ptag))
        if kind is None:
            kind = _kind(tag, ptag)
        if not kind:
            continue
        for check in kind:
            check(path, elements, hits, idx)
        if tag == _DUE_DATE_TYPE_CODE and ptag == _APPLICABLE_TRADE_TAX:
            due_date_codes.update(el.text or "" for el in elements)
        if tag == _CATEGORY_CODE and path == _LINE_CATEGORY_CODE_PATH and anchored:
            for el in elements:
                for attr, rule in _CATEGORY_ATTRS:
                    if el.get(attr) is not None:
                        add((rule, "warning", _line_of(el)))
        if tag.endswith("Quantity") and tag.startswith(RAM) and not billed_unit:
            for el in elements:
                if el.get("unitCode") is not None:
                    add(("CII-DT-033", "fatal", _line_of(el)))
    if len(due_date_codes) > 1:
        add(("CII-SR-462", "fatal", _line_of(root)))
    return hits


_BILLED_QUANTITY_PATH: Path = (
    RSM_SupplyChainTradeTransaction,
    RAM_IncludedSupplyChainTradeLineItem,
    RAM_SpecifiedLineTradeDelivery,
    RAM_BilledQuantity,
)
_LINE_CATEGORY_CODE_PATH: Path = (
    RSM_SupplyChainTradeTransaction,
    RAM_IncludedSupplyChainTradeLineItem,
    RAM_SpecifiedLineTradeSettlement,
    RAM_ApplicableTradeTax,
    RAM_CategoryCode,
)
_DUE_DATE_TYPE_CODE = RAM_DueDateTypeCode
_APPLICABLE_TRADE_TAX = RAM_ApplicableTradeTax
_CATEGORY_CODE = RAM_CategoryCode
_CATEGORY_ATTRS = (
    ("listID", "CII-DT-045"),
    ("listAgencyID", "CII-DT-046"),
    ("listVersionID", "CII-DT-047"),
    ("listURI", "CII-DT-048"),
)


def _attrs(rules: tuple[tuple[str, str], ...], flag: str) -> Check:
    def check(
        path: Path, elements: list[etree._Element], hits: list[SyntaxHit], idx: DocIndex
    ) -> None:
        for el in elements:
            for attr, rule in rules:
                if el.get(attr) is not None:
                    hits.append((rule, flag, _line_of(el)))

    return check


def _id_attrs(
    path: Path, elements: list[etree._Element], hits: list[SyntaxHit], idx: DocIndex
) -> None:
    rules = _ID_NO_ATTR_RULES if path in _ID_NO_ATTRIBUTES_PATHS else _ID_RULES
    for el in elements:
        for attr, rule in rules:
            if el.get(attr) is not None:
                hits.append((rule, "fatal", _line_of(el)))


_ID_NO_ATTR_RULES = (
    ("schemeName", "CII-DT-001"),
    ("schemeAgencyName", "CII-DT-002"),
    ("schemeDataURI", "CII-DT-003"),
    ("schemeURI", "CII-DT-004"),
    ("schemeID", "CII-DT-005"),
    ("schemeAgencyID", "CII-DT-006"),
    ("schemeVersionID", "CII-DT-007"),
)
_ID_RULES = (
    ("schemeName", "CII-DT-101"),
    ("schemeAgencyName", "CII-DT-102"),
    ("schemeDataURI", "CII-DT-103"),
    ("schemeURI", "CII-DT-104"),
)


def _context_parameter(
    path: Path, elements: list[etree._Element], hits: list[SyntaxHit], idx: DocIndex
) -> None:
    for name, rule in (
        (RAM_Value, "CII-SR-04"),
        (RAM_SpecifiedDocumentVersion, "CII-SR-05"),
    ):
        found = idx.by_path.get((*path, name))
        if found:
            hits.append((rule, "warning", _line_of(found[0])))


def _children_present(rules: tuple[tuple[str, str], ...], flag: str) -> Check:
    compiled = tuple((rule, RAM + name) for rule, name in rules)

    def check(
        path: Path, elements: list[etree._Element], hits: list[SyntaxHit], idx: DocIndex
    ) -> None:
        by_path = idx.by_path
        for rule, child in compiled:
            found = by_path.get((*path, child))
            if found:
                hits.append((rule, flag, _line_of(found[0])))

    return check


def _referenced_documents(
    path: Path, elements: list[etree._Element], hits: list[SyntaxHit], idx: DocIndex
) -> None:
    by_path = idx.by_path
    if any((*path, RAM + name) in by_path for name in _REFERENCED_DOCUMENT_GATE):
        local = path[-1][len(RAM) :]
        for el in elements:
            _referenced_document(el, local, hits)


_REFERENCED_DOCUMENT_GATE = (
    "URIID",
    "TypeCode",
    "Name",
    "AttachmentBinaryObject",
    "ReferenceTypeCode",
    "FormattedIssueDateTime",
    *(name for _, name in _REFERENCED_DOCUMENT_CHILDREN),
)


def _trade_taxes(
    path: Path, elements: list[etree._Element], hits: list[SyntaxHit], idx: DocIndex
) -> None:
    by_path = idx.by_path
    type_codes = by_path.get((*path, RAM_TypeCode))
    gate = (type_codes and any((t.text or "") != "VAT" for t in type_codes)) or any(
        (*path, RAM + name) in by_path for name in _TRADE_TAX_GATE
    )
    if gate:
        local = path[-1][len(RAM) :]
        for el in elements:
            _trade_tax(el, local, hits)


_TRADE_TAX_GATE = (
    "BasisAmount",
    "ExemptionReasonCode",
    "ExemptionReason",
    "TaxPointDate",
    "DueDateTypeCode",
    "RateApplicablePercent",
    *(name for _, name in _TRADE_TAX_WARNINGS),
)


def _billing_period(
    path: Path, elements: list[etree._Element], hits: list[SyntaxHit], idx: DocIndex
) -> None:
    by_path = idx.by_path
    for rule, child in (("CII-DT-068", RAM_StartDateTime), ("CII-DT-072", RAM_EndDateTime)):
        found = by_path.get((*path, child, UDT_DateTime))
        if found:
            hits.append((rule, "fatal", _line_of(found[0])))
    _PERIOD_CHECK(path, elements, hits, idx)


_PERIOD_CHECK = _children_present(_PERIOD_CHILDREN, "fatal")
_ADDRESS_CHECK = _children_present(_ADDRESS_CHILDREN, "fatal")


def _date_102(
    path: Path, elements: list[etree._Element], hits: list[SyntaxHit], idx: DocIndex
) -> None:
    for el in elements:
        if el.get("format") == "102" and not _DATE_102.match(el.text or ""):
            hits.append(("CII-DT-097", "fatal", _line_of(el)))


def _codes(
    path: Path, elements: list[etree._Element], hits: list[SyntaxHit], idx: DocIndex
) -> None:
    tag = path[-1]
    local = tag[len(RAM) :]
    ptag = path[-2] if len(path) > 1 else idx.root.tag
    for el in elements:
        _code_lists(el, local, ptag, hits, path)


_CODE_TAGS = frozenset(
    RAM + name
    for name in (
        "TypeCode",
        "TaxTotalAmount",
        "InvoiceCurrencyCode",
        "TaxCurrencyCode",
        "DueDateTypeCode",
        "ReferenceTypeCode",
        "SubjectCode",
        "GlobalID",
        "ID",
        "ClassCode",
        "CountryID",
        "CategoryCode",
        "ReasonCode",
        "ExemptionReasonCode",
        "BasisQuantity",
        "BilledQuantity",
        "AttachmentBinaryObject",
        "URIID",
        "SpecifiedTradeAllowanceCharge",
    )
)

_KINDS: dict[tuple[str, str], tuple[Check, ...]] = {}


def _kind(tag: str, ptag: str) -> tuple[Check, ...]:
    """Checks for elements with this tag under this parent (Schematron first-match order)."""
    checks: list[Check] = []
    if tag in _CODE_TAGS:
        checks.append(_codes)
    if tag == UDT_DateTimeString:
        checks.append(_date_102)
    elif tag.startswith(RAM):
        local = tag[len(RAM) :]
        if local.endswith("DocumentContextParameter"):
            checks.append(_context_parameter)
        elif local.endswith("ID"):
            checks.append(_id_attrs)
        elif local == "TypeCode":
            checks.append(_attrs((("name", "CII-DT-008"), ("listURI", "CII-DT-009")), "fatal"))
        elif local == "CategoryCode" and ptag == _APPLICABLE_TRADE_TAX:
            pass  # line category codes handled in the main loop (path dependent)
        elif local.endswith("ReferencedDocument"):
            checks.append(_referenced_documents)
        elif local.endswith("Amount") and local != "TaxTotalAmount":
            checks.append(
                _attrs(
                    (("currencyID", "CII-DT-031"), ("currencyCodeListVersionID", "CII-DT-032")),
                    "fatal",
                )
            )
        elif local.endswith("Quantity"):
            checks.append(
                _attrs(
                    (
                        ("unitCodeListID", "CII-DT-034"),
                        ("unitCodeListAgencyID", "CII-DT-035"),
                        ("unitCodeListAgencyName", "CII-DT-036"),
                    ),
                    "fatal",
                )
            )
        elif local.endswith("TradeTax"):
            checks.append(_trade_taxes)
        elif local == "BillingSpecifiedPeriod":
            checks.append(_billing_period)
        elif local == "PostalTradeAddress":
            checks.append(_ADDRESS_CHECK)
    result = tuple(checks)
    _KINDS[(tag, ptag)] = result
    return result


# Elements whose syntax context is an absolute path handled in _anchored_rules; the
# generic "ends-with" contexts must not see them (Schematron first-match semantics).
_CONTEXT_RULES_FIRST: frozenset[str] = frozenset()


def _is_no_attribute_id(el: etree._Element, root: etree._Element) -> bool:
    path: list[str] = []
    node: etree._Element | None = el
    while node is not None and node is not root:
        path.append(node.tag)
        node = node.getparent()
        if len(path) > 4:
            return False
    if node is not root or root.tag != RSM_CrossIndustryInvoice:
        return False
    return tuple(reversed(path)) in _ID_NO_ATTRIBUTES_PATHS


def _is_line_trade_tax(el: etree._Element | None, root: etree._Element) -> bool:
    if el is None:
        return False
    settlement = el.getparent()
    if settlement is None or settlement.tag != RAM_SpecifiedLineTradeSettlement:
        return False
    line = settlement.getparent()
    if line is None or line.tag != RAM_IncludedSupplyChainTradeLineItem:
        return False
    txn = line.getparent()
    return (
        txn is not None
        and txn.tag == RSM_SupplyChainTradeTransaction
        and txn.getparent() is root
        and root.tag == RSM_CrossIndustryInvoice
    )


def _kid(kids: dict[str, list[etree._Element]], tag: str) -> etree._Element | None:
    found = kids.get(tag)
    return found[0] if found else None


_REFERENCED_DOCUMENT_CHILD_TAGS = tuple(
    (rule, RAM + name) for rule, name in _REFERENCED_DOCUMENT_CHILDREN
)
_TRADE_TAX_WARNING_TAGS = tuple((rule, RAM + name) for rule, name in _TRADE_TAX_WARNINGS)
_TYPE_CODE = RAM_TypeCode
_URIID = RAM_URIID
_NAME = RAM_Name
_ATTACHMENT = RAM_AttachmentBinaryObject
_REFERENCE_TYPE_CODE = RAM_ReferenceTypeCode
_FORMATTED_ISSUE = RAM_FormattedIssueDateTime
_HEADER_SETTLEMENT_TAG = RAM_ApplicableHeaderTradeSettlement
_BASIS_AMOUNT = RAM_BasisAmount
_EXEMPTION_REASON_CODE = RAM_ExemptionReasonCode
_EXEMPTION_REASON = RAM_ExemptionReason
_TAX_POINT_DATE = RAM_TaxPointDate
_RATE = RAM_RateApplicablePercent


def _referenced_document(el: etree._Element, local: str, hits: list[SyntaxHit]) -> None:
    add = hits.append
    line = _line_of(el)
    kids = _kid_map(el)
    is_additional = local == "AdditionalReferencedDocument"
    type_codes = [c.text or "" for c in kids.get(_TYPE_CODE, ())]
    is_916 = is_additional and "916" in type_codes
    if _URIID in kids and not is_916:
        add(("CII-DT-015", "fatal", line))
    if type_codes and not (is_additional and any(t in ("50", "130", "916") for t in type_codes)):
        add(("CII-DT-018", "fatal", line))
    if _NAME in kids and not is_916:
        add(("CII-DT-021", "fatal", line))
    if _ATTACHMENT in kids and not is_916:
        add(("CII-DT-022", "fatal", line))
    if _REFERENCE_TYPE_CODE in kids and not (is_additional and "130" in type_codes):
        add(("CII-DT-024", "fatal", line))
    if _FORMATTED_ISSUE in kids and local != "InvoiceReferencedDocument":
        add(("CII-DT-027", "fatal", line))
    for rule, tag in _REFERENCED_DOCUMENT_CHILD_TAGS:
        if tag in kids:
            add((rule, "fatal", line))


def _trade_tax(el: etree._Element, local: str, hits: list[SyntaxHit]) -> None:
    add = hits.append
    line = _line_of(el)
    kids = _kid_map(el)
    type_codes = [c.text or "" for c in kids.get(_TYPE_CODE, ())]
    if type_codes and "VAT" not in type_codes:
        add(("CII-DT-037", "fatal", line))
    in_header = _has_ancestor(el, _HEADER_SETTLEMENT_TAG)
    if _BASIS_AMOUNT in kids and not in_header:
        add(("CII-DT-041", "warning", line))
    if _EXEMPTION_REASON_CODE in kids and local != "ApplicableTradeTax":
        add(("CII-DT-052", "warning", line))
    if _EXEMPTION_REASON in kids and local != "ApplicableTradeTax":
        add(("CII-DT-098", "warning", line))
    if _TAX_POINT_DATE in kids and not in_header:
        add(("CII-DT-054", "warning", line))
    if _DUE_DATE_TYPE_CODE in kids and not in_header:
        add(("CII-DT-058", "warning", line))
    rate = _kid(kids, _RATE)
    if rate is not None and rate.get("format") is not None:
        add(("CII-DT-059", "warning", line))
    for rule, tag in _TRADE_TAX_WARNING_TAGS:
        if tag in kids:
            add((rule, "warning", line))


def _has_ancestor(el: etree._Element, tag: str) -> bool:
    parent = el.getparent()
    while parent is not None:
        if parent.tag == tag:
            return True
        parent = parent.getparent()
    return False


def _anchored_rules(root: etree._Element, hits: list[SyntaxHit]) -> None:
    add = hits.append
    top = _kid_map(root)
    context = _kid(top, RSM_ExchangedDocumentContext)
    if context is not None:
        kids = _kid_map(context)
        guideline = kids.get(RAM_GuidelineSpecifiedDocumentContextParameter, ())
        if len(guideline) != 1:
            add(("CII-SR-009", "fatal", _line_of(context)))
        if sum(len(_children(g, RAM_ID)) for g in guideline) != 1:
            add(("CII-SR-010", "fatal", _line_of(context)))
        if len(kids.get(RAM_BusinessProcessSpecifiedDocumentContextParameter, ())) > 1:
            add(("CII-SR-003", "warning", _line_of(context)))
    document = _kid(top, RSM_ExchangedDocument)
    if document is not None:
        kids = _kid_map(document)
        if len(kids.get(_TYPE_CODE, ())) != 1:
            add(("CII-SR-014", "fatal", _line_of(document)))
        for note in kids.get(RAM_IncludedNote, ()):
            if len(_children(note, RAM_Content)) > 1:
                add(("CII-SR-030", "warning", _line_of(note)))
    txn = _kid(top, RSM_SupplyChainTradeTransaction)
    if txn is None:
        return
    txn_kids = _kid_map(txn)
    for line in txn_kids.get(RAM_IncludedSupplyChainTradeLineItem, ()):
        _line_rules(line, hits)
    agreement = _kid(txn_kids, RAM_ApplicableHeaderTradeAgreement)
    if agreement is not None:
        kids = _kid_map(agreement)
        party_kids = {
            party_tag: [_kid_map(p) for p in kids.get(RAM + party_tag, ())]
            for party_tag in ("SellerTradeParty", "BuyerTradeParty")
        }
        for party_tag, rule_contact, rule_uri in (
            ("SellerTradeParty", "CII-SR-455", "CII-SR-459"),
            ("BuyerTradeParty", "CII-SR-456", "CII-SR-460"),
        ):
            parties = party_kids[party_tag]
            contacts = sum(len(p.get(RAM_DefinedTradeContact, ())) for p in parties)
            if contacts > 1:
                add((rule_contact, "fatal", _line_of(agreement)))
            uris = sum(len(p.get(RAM_URIUniversalCommunication, ())) for p in parties)
            if uris > 1:
                add((rule_uri, "fatal", _line_of(agreement)))
        for party_tag, rule in (
            ("SellerTradeParty", "CII-SR-465"),
            ("BuyerTradeParty", "CII-SR-466"),
        ):
            for party in party_kids[party_tag]:
                for contact in party.get(RAM_DefinedTradeContact, ()):
                    ck = _kid_map(contact)
                    if RAM_PersonName in ck and RAM_DepartmentName in ck:
                        add((rule, "warning", _line_of(contact)))
        for buyer, buyer_kids in zip(
            kids.get(RAM_BuyerTradeParty, ()), party_kids["BuyerTradeParty"], strict=True
        ):
            if RAM_ID in buyer_kids and RAM_GlobalID in buyer_kids:
                add(("CII-SR-450", "warning", _line_of(buyer)))
        documents = [_kid_map(d) for d in kids.get(RAM_AdditionalReferencedDocument, ())]
        raw_codes = [[(t.text or "") for t in d.get(_TYPE_CODE, ())] for d in documents]
        if sum(1 for codes in raw_codes if "50" in codes) > 1:
            add(("CII-SR-457", "warning", _line_of(agreement)))
        if sum(1 for codes in raw_codes if "130" in codes) > 1:
            add(("CII-SR-458", "warning", _line_of(agreement)))
        supporting = [d for d in documents if any(_n(t) == "916" for t in d.get(_TYPE_CODE, ()))]
        if sum(len(d.get(_NAME, ())) for d in supporting) > 1:
            add(("CII-SR-475", "warning", _line_of(agreement)))
        if sum(len(d.get(_ATTACHMENT, ())) for d in supporting) > 1:
            add(("CII-SR-476", "warning", _line_of(agreement)))
    delivery = _kid(txn_kids, RAM_ApplicableHeaderTradeDelivery)
    if delivery is not None:
        for ship in _children(delivery, RAM_ShipToTradeParty):
            ship_kids = _kid_map(ship)
            if RAM_ID in ship_kids and RAM_GlobalID in ship_kids:
                add(("CII-SR-449", "warning", _line_of(ship)))
    settlement = _kid(txn_kids, _HEADER_SETTLEMENT_TAG)
    if settlement is not None:
        kids = _kid_map(settlement)
        point_dates = sum(
            len(_children(tax, _TAX_POINT_DATE)) for tax in kids.get(_APPLICABLE_TRADE_TAX, ())
        )
        if point_dates > 1:
            add(("CII-SR-461", "fatal", _line_of(settlement)))
        terms = kids.get(RAM_SpecifiedTradePaymentTerms, ())
        if len(terms) > 1:
            add(("CII-SR-452", "warning", _line_of(settlement)))
        if sum(len(_children(t, RAM_Description)) for t in terms) > 1:
            add(("CII-SR-453", "warning", _line_of(settlement)))
        for payee in kids.get(RAM_PayeeTradeParty, ()):
            payee_kids = _kid_map(payee)
            if RAM_ID in payee_kids and RAM_GlobalID in payee_kids:
                add(("CII-SR-451", "warning", _line_of(payee)))
        means = [
            (pm, _kid_map(pm)) for pm in kids.get(RAM_SpecifiedTradeSettlementPaymentMeans, ())
        ]
        for pm, pm_kids in means:
            institutions = len(
                pm_kids.get(RAM_PayeeSpecifiedCreditorFinancialInstitution, ())
            ) + len(pm_kids.get(RAM_PayerSpecifiedDebtorFinancialInstitution, ()))
            if institutions > 1:
                add(("CII-SR-464", "warning", _line_of(pm)))
        codes = [_n(t) for _, pm_kids in means for t in pm_kids.get(_TYPE_CODE, ())]
        if codes and any(c != codes[0] for c in codes):
            add(("CII-SR-467", "fatal", _line_of(settlement)))
        texts = [_n(t) for _, pm_kids in means for t in pm_kids.get(RAM_Information, ())]
        if texts and any(t != texts[0] for t in texts):
            add(("CII-SR-468", "fatal", _line_of(settlement)))
        if len(kids.get(RAM_PaymentReference, ())) > 1:
            add(("CII-SR-469", "fatal", _line_of(settlement)))
        for _, pm_kids in means:
            if any(_n(t) in ("30", "58") for t in pm_kids.get(_TYPE_CODE, ())) and not any(
                _first(acc, RAM_IBANID) is not None or _first(acc, RAM_ProprietaryID) is not None
                for acc in pm_kids.get(RAM_PayeePartyCreditorFinancialAccount, ())
            ):
                add(("CII-SR-470", "fatal", _line_of(settlement)))
                break
        for summation in kids.get(_SUMMATION_TAG, ()):
            summation_kids = _kid_map(summation)
            for rule, tag in _SUMMATION_ONCE_TAGS:
                if len(summation_kids.get(tag, ())) > 1:
                    add((rule, "fatal", _line_of(summation)))


_SUMMATION_TAG = RAM_SpecifiedTradeSettlementHeaderMonetarySummation
_SUMMATION_ONCE_TAGS = tuple((rule, RAM + name) for rule, name in _SUMMATION_ONCE)


def _elements_at(root: etree._Element, path: tuple[str, ...]) -> list[etree._Element]:
    nodes = [root]
    for tag in path:
        nodes = [c for n in nodes for c in n if c.tag == tag]
        if not nodes:
            break
    return nodes


def _line_rules(line: etree._Element, hits: list[SyntaxHit]) -> None:
    add = hits.append
    line_kids = _kid_map(line)
    doc = _kid(line_kids, RAM_AssociatedDocumentLineDocument)
    if doc is not None:
        notes = _children(doc, RAM_IncludedNote)
        if len(notes) > 1:
            add(("CII-SR-039", "warning", _line_of(doc)))
        if sum(len(_children(n, RAM_Content)) for n in notes) > 1:
            add(("CII-SR-040", "warning", _line_of(doc)))
    product = _kid(line_kids, RAM_SpecifiedTradeProduct)
    if product is not None:
        kids = _kid_map(product)
        for global_id in kids.get(RAM_GlobalID, ()):
            if global_id.get("schemeID") is None:
                add(("CII-SR-046", "fatal", _line_of(product)))
                break
        origins = kids.get(RAM_OriginTradeCountry, ())
        if origins and sum(len(_children(o, RAM_ID)) for o in origins) != 1:
            add(("CII-SR-090", "fatal", _line_of(product)))
        for characteristic in kids.get(RAM_ApplicableProductCharacteristic, ()):
            characteristic_kids = _kid_map(characteristic)
            if len(characteristic_kids.get(RAM_Description, ())) != 1:
                add(("CII-SR-069", "fatal", _line_of(characteristic)))
            if len(characteristic_kids.get(RAM_Value, ())) != 1:
                add(("CII-SR-072", "fatal", _line_of(characteristic)))
    agreement = _kid(line_kids, RAM_SpecifiedLineTradeAgreement)
    if agreement is not None:
        kids = _kid_map(agreement)
        net_amounts = sum(
            len(_children(price, _CHARGE_AMOUNT))
            for price in kids.get(RAM_NetPriceProductTradePrice, ())
        )
        if net_amounts != 1:
            add(("CII-SR-439", "fatal", _line_of(agreement)))
        if net_amounts > 1:
            add(("CII-SR-441", "fatal", _line_of(agreement)))
        for gross in kids.get(RAM_GrossPriceProductTradePrice, ()):
            charges = [(c, _kid_map(c)) for c in _children(gross, RAM_AppliedTradeAllowanceCharge)]
            indicators = [
                i
                for _, c in charges
                for ind in c.get(_CHARGE_INDICATOR, ())
                for i in _children(ind, UDT_Indicator)
            ]
            has_false = any((i.text or "").strip() in ("false", "0") for i in indicators)
            has_amount = any(_ACTUAL_AMOUNT in c for _, c in charges)
            has_indicator = any(_CHARGE_INDICATOR in c for _, c in charges)
            if not ((has_false and has_amount) or (not has_indicator and not has_amount)):
                add(("CII-SR-119", "warning", _line_of(agreement)))
            for charge, charge_kids in charges:
                if len(charge_kids.get(_ACTUAL_AMOUNT, ())) > 1:
                    add(("CII-SR-440", "fatal", _line_of(charge)))
    settlement = _kid(line_kids, RAM_SpecifiedLineTradeSettlement)
    if settlement is not None:
        kids = _kid_map(settlement)
        if len(kids.get(_APPLICABLE_TRADE_TAX, ())) != 1:
            add(("CII-SR-454", "warning", _line_of(settlement)))
        for charge in kids.get(RAM_SpecifiedTradeAllowanceCharge, ()):
            percent = _first(charge, RAM_CalculationPercent)
            if percent is not None and percent.get("format") is not None:
                add(("CII-SR-186", "warning", _line_of(charge)))
        object_refs = [
            d
            for d in kids.get(RAM_AdditionalReferencedDocument, ())
            if any(_n(t) == "130" for t in _children(d, _TYPE_CODE))
        ]
        if len(object_refs) > 1:
            add(("CII-SR-474", "warning", _line_of(settlement)))


_CHARGE_AMOUNT = RAM_ChargeAmount
_CHARGE_INDICATOR = RAM_ChargeIndicator
_ACTUAL_AMOUNT = RAM_ActualAmount


def _code_lists(
    el: etree._Element, local: str, ptag: str, hits: list[SyntaxHit], path: Path = ()
) -> None:
    add = hits.append
    if local == "TypeCode":
        if ptag == RSM_ExchangedDocument and _n(el) not in _CII_TYPE_CODES:
            add(("BR-CL-01", "fatal", _line_of(el)))
        elif (
            ptag == RAM_SpecifiedTradeSettlementPaymentMeans
            and _n(el) not in cl.PAYMENT_MEANS_CODES
        ):
            add(("BR-CL-16", "fatal", _line_of(el)))
    elif local == "TaxTotalAmount":
        currency = el.get("currencyID")
        if currency is not None and " ".join(currency.split()) not in cl.CURRENCY_CODES:
            add(("BR-CL-03", "fatal", _line_of(el)))
    elif local == "InvoiceCurrencyCode":
        if _n(el) not in cl.CURRENCY_CODES:
            add(("BR-CL-04", "fatal", _line_of(el)))
    elif local == "TaxCurrencyCode":
        if _n(el) not in cl.CURRENCY_CODES:
            add(("BR-CL-05", "fatal", _line_of(el)))
    elif local == "DueDateTypeCode":
        if _n(el) not in _DUE_DATE_TYPE_CODES:
            add(("BR-CL-06", "fatal", _line_of(el)))
    elif local == "ReferenceTypeCode":
        if _n(el) not in cl.REFERENCE_TYPE_CODES:
            add(("BR-CL-07", "fatal", _line_of(el)))
    elif local == "SubjectCode":
        if _n(el) not in cl.TEXT_SUBJECT_CODES:
            add(("BR-CL-08", "fatal", _line_of(el)))
    elif local == "GlobalID":
        scheme = el.get("schemeID")
        if scheme is None:
            return
        value = " ".join(scheme.split())
        if RAM_SpecifiedTradeProduct in path:
            if ptag == RAM_SpecifiedTradeProduct and value not in cl.ICD_CODES:
                add(("BR-CL-21", "fatal", _line_of(el)))
        elif RAM_ShipToTradeParty in path:
            if ptag == RAM_ShipToTradeParty and value not in cl.ICD_CODES:
                add(("BR-CL-26", "fatal", _line_of(el)))
        elif value not in cl.ICD_CODES:
            add(("BR-CL-10", "fatal", _line_of(el)))
    elif local == "ID":
        scheme = el.get("schemeID")
        if (
            scheme is not None
            and RAM_SpecifiedTaxRegistration not in path
            and " ".join(scheme.split()) not in cl.ICD_CODES
        ):
            add(("BR-CL-11", "fatal", _line_of(el)))
        elif ptag == RAM_OriginTradeCountry and _n(el) not in cl.COUNTRY_CODES:
            add(("BR-CL-15", "fatal", _line_of(el)))
    elif local == "ClassCode":
        list_id = el.get("listID")
        if list_id is not None and " ".join(list_id.split()) not in cl.ITEM_CLASSIFICATION_CODES:
            add(("BR-CL-13", "fatal", _line_of(el)))
    elif local == "CountryID":
        if _n(el) not in cl.COUNTRY_CODES:
            add(("BR-CL-14", "fatal", _line_of(el)))
    elif local == "CategoryCode":
        if ptag == RAM_CategoryTradeTax:
            if _n(el) not in cl.VAT_CATEGORY_CODES:
                add(("BR-CL-17", "fatal", _line_of(el)))
        elif ptag == RAM_ApplicableTradeTax and _n(el) not in cl.VAT_CATEGORY_CODES:
            add(("BR-CL-18", "fatal", _line_of(el)))
    elif local == "ReasonCode":
        parent = el.getparent()
        if parent is not None and parent.tag == RAM_SpecifiedTradeAllowanceCharge:
            indicator = _count_indicator(parent)
            if indicator is False and _n(el) not in cl.ALLOWANCE_REASON_CODES:
                add(("BR-CL-19", "fatal", _line_of(el)))
            elif indicator is True and _n(el) not in cl.CHARGE_REASON_CODES:
                add(("BR-CL-20", "fatal", _line_of(el)))
    elif local == "ExemptionReasonCode":
        if _n(el).upper() not in cl.VATEX_CODES:
            add(("BR-CL-22", "fatal", _line_of(el)))
    elif local in ("BasisQuantity", "BilledQuantity"):
        unit = el.get("unitCode")
        if unit is not None and " ".join(unit.split()) not in cl.UNIT_CODES:
            add(("BR-CL-23", "fatal", _line_of(el)))
    elif local == "AttachmentBinaryObject":
        mime = el.get("mimeCode")
        if mime is not None and mime not in cl.MIME_CODES:
            add(("BR-CL-24", "fatal", _line_of(el)))
    elif local == "URIID" and ptag == RAM_URIUniversalCommunication:
        scheme = el.get("schemeID")
        if scheme is not None and " ".join(scheme.split()) not in cl.EAS_CODES:
            add(("BR-CL-25", "fatal", _line_of(el)))
    elif local == "SpecifiedTradeAllowanceCharge":
        if _first(el, RAM_ChargeIndicator) is None:
            add(("CII-SR-463", "fatal", _line_of(el)))
        if len(_children(el, RAM_RateApplicablePercent)) > 1:
            add(("CII-SR-471", "fatal", _line_of(el)))
        if len(_children(el, RAM_CategoryTradeTax)) > 1:
            add(("CII-SR-472", "fatal", _line_of(el)))
        if len(_children(el, RAM_ActualAmount)) > 1:
            add(("CII-SR-473", "fatal", _line_of(el)))


def _count_indicator(charge: etree._Element) -> bool | None:
    for ind in _children(charge, RAM_ChargeIndicator):
        for i in _children(ind, UDT_Indicator):
            value = (i.text or "").strip()
            if value in ("true", "1"):
                return True
            if value in ("false", "0"):
                return False
    return None
