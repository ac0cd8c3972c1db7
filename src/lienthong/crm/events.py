"""What the CRM app tells the others. Types are ``<Prefix><Verb>``,
verbs ``Created`` / ``Updated`` / ``Deleted``."""

CUSTOMER = "Customer"
CONTACT = "Contact"
CUSTOMER_GROUP = "CustomerGroup"
USER = "User"  # copies from system
PRODUCT = "Product"              # ProductCreated, ProductUpdated, ProductDeleted, ProductMerged
PRODUCT_GROUP = "ProductGroup"
PRICE_POLICY = "PricePolicy"      # CRM's own and the parts of accounting policies
