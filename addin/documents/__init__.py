"""What a holder receives and a user keeps: the §4(i) certificate and the Exhibit A purchase form
(``macros`` builds them, ``documents`` lays them out as sheets and PDFs), the starter workbook
(``starter``, ``warrants new``) and the repair of tables cut to one cell (``tables``)."""
