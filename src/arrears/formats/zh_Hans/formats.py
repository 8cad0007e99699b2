# Amounts in Chinese financial documents are grouped by thousands (1,234,567.89) and dates are
# written ISO-style; Django's zh_Hans defaults leave numbers ungrouped.
DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i"
SHORT_DATE_FORMAT = "Y-m-d"
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
