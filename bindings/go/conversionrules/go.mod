module conversionrules

go 1.19
