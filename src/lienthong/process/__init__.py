"""The process app (AMIS Quy trình): approval processes and purchasing status.

So far it keeps only its copy of the system users (approvers are users); process
definitions and runs come with the purchase-request work.
"""

NAME = "process"
