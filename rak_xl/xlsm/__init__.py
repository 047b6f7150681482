"""The macro workbook from source: ``workbook_template.xlsm``, its VBA project (MS-OVBA
records in an MS-CFB compound file) and the VBA module sources (``vba/``)."""
