"""What the accounting app tells the others. Types are ``<Prefix><Verb>``,
verbs ``Created`` / ``Updated`` / ``Deleted`` (see :class:`lienthong.kernel.catalog.Catalog`)."""

CUSTOMER = "Customer"            # CustomerCreated, CustomerUpdated, CustomerDeleted
CUSTOMER_GROUP = "CustomerGroup"  # CustomerGroupCreated, ...
EMPLOYEE = "Employee"            # EmployeeCreated, EmployeeUpdated (copies from system)
PRODUCT = "Product"              # ProductCreated, ProductUpdated, ProductDeleted, ProductMerged
PRODUCT_GROUP = "ProductGroup"    # ProductGroupCreated, ...
PRICE_POLICY = "PricePolicy"      # PricePolicyCreated, PricePolicyUpdated, PricePolicyDeleted
