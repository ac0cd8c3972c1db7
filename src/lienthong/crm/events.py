"""What the CRM app tells the others. Types are ``<Prefix><Verb>``,
verbs ``Created`` / ``Updated`` / ``Deleted``."""

CUSTOMER = "Customer"
CONTACT = "Contact"
CUSTOMER_GROUP = "CustomerGroup"
USER = "User"  # copies from system
