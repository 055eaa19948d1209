"""From a scored result to what people read: the results page and the PDF report."""
