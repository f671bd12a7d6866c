package org.inkwell.data;

import tech.tablesaw.api.Table;

/**
 * A table as RFC 4180 CSV: cells with commas, quotes or line breaks are quoted, and text cells that a spreadsheet
 * would run as a formula (starting with =, +, -, @, tab or CR) get a leading apostrophe. File names are user data.
 */
public final class CsvText {
    private CsvText() {
    }

    public static String of(Table table) {
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < table.columnCount(); c++) {
            sb.append(c == 0 ? "" : ",").append(cell(table.column(c).name()));
        }
        sb.append('\n');
        for (int r = 0; r < table.rowCount(); r++) {
            for (int c = 0; c < table.columnCount(); c++) {
                sb.append(c == 0 ? "" : ",").append(cell(table.column(c).getString(r)));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    static String cell(String value) {
        String v = value == null ? "" : value;
        if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0 && !isNumber(v)) {
            v = "'" + v;
        }
        if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
            v = '"' + v.replace("\"", "\"\"") + '"';
        }
        return v;
    }

    private static boolean isNumber(String v) {
        try {
            Double.parseDouble(v);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
