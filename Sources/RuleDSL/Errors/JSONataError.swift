/// An error compiling or evaluating an expression, with JSONata's error code
/// (S0xxx syntax, T0xxx and T1xxx-T2xxx type, D0xxx-D3xxx dynamic, U1001
/// a depth or time limit, U1002 the size limit; D3150, a date out of range,
/// and D3151, a character that is no byte, are this library's own) and the position in the expression where it arose.
public struct JSONataError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kinds of error, with JSONata's codes.
    public enum Code: String, Sendable {
        case unterminatedString = "S0101"
        case numberOutOfRange = "S0102"
        case invalidEscape = "S0103"
        case invalidUnicodeEscape = "S0104"
        case unterminatedQuotedName = "S0105"
        case unterminatedComment = "S0106"
        case syntaxError = "S0201"
        case expectedToken = "S0202"
        case expectedTokenBeforeEnd = "S0203"
        case unknownOperator = "S0204"
        case unexpectedToken = "S0205"
        case unexpectedEnd = "S0207"
        case parameterNotVariable = "S0208"
        case predicateAfterGroup = "S0209"
        case twoGroups = "S0210"
        case notUnaryOperator = "S0211"
        case assignmentNotVariable = "S0212"
        case literalStep = "S0213"
        case focusNotVariable = "S0214"
        case bindingAfterPredicate = "S0215"
        case bindingAfterSort = "S0216"
        case parentNotDerivable = "S0217"
        case emptyRegex = "S0301"
        case unterminatedRegex = "S0302"
        case invalidSignature = "S0401"
        case signatureChoiceParameterized = "S0402"
        case argumentMismatch = "T0410"
        case contextMismatch = "T0411"
        case arrayTypeMismatch = "T0412"
        case numberOverflow = "D1001"
        case negateNonNumber = "D1002"
        case keyNotString = "T1003"
        case zeroLengthMatch = "D1004"
        case invokeNonFunctionHint = "T1005"
        case invokeNonFunction = "T1006"
        case partialNonFunctionHint = "T1007"
        case partialNonFunction = "T1008"
        case duplicateKey = "D1009"
        case matcherNotFunction = "T1010"
        case leftNotNumber = "T2001"
        case rightNotNumber = "T2002"
        case rangeLeftNotInteger = "T2003"
        case rangeRightNotInteger = "T2004"
        case applyNotFunction = "T2006"
        case sortTypeMismatch = "T2007"
        case sortNotComparable = "T2008"
        case comparisonTypeMismatch = "T2009"
        case comparisonNotComparable = "T2010"
        case transformUpdateNotObject = "T2011"
        case transformDeleteNotStrings = "T2012"
        case transformCloneOverridden = "T2013"
        case rangeTooLarge = "D2014"
        case stringOfNonFinite = "D3001"
        case replaceEmptyPattern = "D3010"
        case replaceLimitNegative = "D3011"
        case replacementNotString = "D3012"
        case splitLimitNegative = "D3020"
        case notANumber = "D3030"
        case matchLimitNegative = "D3040"
        case reduceFunctionArity = "D3050"
        case sqrtNegative = "D3060"
        case powerNotRepresentable = "D3061"
        case sortNeedsComparator = "D3070"
        case pictureTooManyParts = "D3080"
        case pictureDecimalSeparators = "D3081"
        case picturePercentTwice = "D3082"
        case picturePerMilleTwice = "D3083"
        case picturePercentAndPerMille = "D3084"
        case pictureNoDigits = "D3085"
        case picturePassiveBetweenActive = "D3086"
        case pictureGroupingNextToDecimal = "D3087"
        case pictureGroupingAtEnd = "D3088"
        case pictureAdjacentGroupings = "D3089"
        case pictureIntegerAfterOptional = "D3090"
        case pictureFractionAfterOptional = "D3091"
        case pictureExponentWithPercent = "D3092"
        case pictureExponentDigits = "D3093"
        case radixOutOfRange = "D3100"
        case notISOTimestamp = "D3110"
        case evalSyntax = "D3120"
        case evalDynamic = "D3121"
        case pictureDecimalDigitFamilies = "D3131"
        case pictureUnknownComponent = "D3132"
        case pictureComponentNotSupported = "D3133"
        case pictureNameTooLong = "D3134"
        case pictureUnterminated = "D3135"
        case timezoneMissing = "D3136"
        case userError = "D3137"
        case singleMoreThanOne = "D3138"
        case singleNone = "D3139"
        case malformedURL = "D3140"
        case assertionFailed = "D3141"
        case depthExceeded = "U1001"
        case valueTooLarge = "U1002"
        case dateOutOfRange = "D3150"
        case notBinaryString = "D3151"
    }

    /// JSONata's code for the error, such as "S0201" or "T2001".
    public let code: String
    /// Character offset in the expression (0-based) where the error arose.
    public let position: Int
    /// The token or value the error is about, when there is one.
    public let token: String?
    /// What went wrong, in words.
    public let message: String

    /// Creates an error of a known kind; the message comes from the code.
    public init(_ code: Code, position: Int, token: String? = nil, detail: String? = nil) {
        self.code = code.rawValue
        self.position = position
        self.token = token
        self.message = detail ?? Self.message(for: code, token: token)
    }

    /// Creates an error with an explicit code and message (for `$error` and
    /// errors re-reported from a nested evaluation).
    public init(code: String, position: Int, token: String? = nil, message: String) {
        self.code = code
        self.position = position
        self.token = token
        self.message = message
    }

    public var description: String { "\(code) at position \(position): \(message)" }

    // swiftlint:disable:next cyclomatic_complexity
    private static func message(for code: Code, token: String?) -> String {
        let token = token ?? ""
        switch code {
        case .unterminatedString: return "String literal must be terminated by a matching quote"
        case .numberOutOfRange: return "Number out of range: \(token)"
        case .invalidEscape: return "Unsupported escape sequence: \\\(token)"
        case .invalidUnicodeEscape: return "The escape sequence \\u must be followed by 4 hex digits"
        case .unterminatedQuotedName: return "Quoted property name must be terminated with a backquote (`)"
        case .unterminatedComment: return "Comment has no closing tag"
        case .syntaxError: return "Syntax error: \(token)"
        case .expectedToken: return "Expected \(token)"
        case .expectedTokenBeforeEnd: return "Expected \(token) before end of expression"
        case .unknownOperator: return "Unknown operator: \(token)"
        case .unexpectedToken: return "Unexpected token: \(token)"
        case .unexpectedEnd: return "Unexpected end of expression"
        case .parameterNotVariable: return "Parameter \(token) of function definition must be a variable name (start with $)"
        case .predicateAfterGroup: return "A predicate cannot follow a grouping expression in a step"
        case .twoGroups: return "Each step can only have one grouping expression"
        case .notUnaryOperator: return "The symbol \(token) cannot be used as a unary operator"
        case .assignmentNotVariable: return "The left side of := must be a variable name (start with $)"
        case .literalStep: return "The literal value \(token) cannot be used as a step within a path expression"
        case .focusNotVariable: return "The right side of \(token) must be a variable name (start with $)"
        case .bindingAfterPredicate: return "A context variable binding must precede any predicates on a step"
        case .bindingAfterSort: return "A context variable binding must precede the 'order-by' clause on a step"
        case .parentNotDerivable: return "The object representing the 'parent' cannot be derived from this expression"
        case .emptyRegex: return "Empty regular expressions are not allowed"
        case .unterminatedRegex: return "No terminating / in regular expression"
        case .invalidSignature: return "Type signature: unexpected \(token)"
        case .signatureChoiceParameterized: return "Choice groups containing parameterized types are not supported"
        case .argumentMismatch: return "Argument \(token) does not match function signature"
        case .contextMismatch: return "Context value is not a compatible type with argument \(token) of function signature"
        case .arrayTypeMismatch: return "Argument \(token) of function must be an array of the type in the signature"
        case .numberOverflow: return "Number out of range: \(token)"
        case .negateNonNumber: return "Cannot negate a non-numeric value: \(token)"
        case .keyNotString: return "Key in object structure must evaluate to a string; got: \(token)"
        case .zeroLengthMatch: return "Regular expression matches zero length string"
        case .invokeNonFunctionHint: return "Attempted to invoke a non-function. Did you mean ${\(token)}?"
        case .invokeNonFunction: return "Attempted to invoke a non-function"
        case .partialNonFunctionHint: return "Attempted to partially apply a non-function. Did you mean ${\(token)}?"
        case .partialNonFunction: return "Attempted to partially apply a non-function"
        case .duplicateKey: return "Multiple key definitions evaluate to same key: \(token)"
        case .matcherNotFunction: return "The matcher function argument passed to function \(token) does not return the correct object structure"
        case .leftNotNumber: return "The left side of the \(token) operator must evaluate to a number"
        case .rightNotNumber: return "The right side of the \(token) operator must evaluate to a number"
        case .rangeLeftNotInteger: return "The left side of the range operator (..) must evaluate to an integer"
        case .rangeRightNotInteger: return "The right side of the range operator (..) must evaluate to an integer"
        case .applyNotFunction: return "The right side of the function application operator ~> must be a function"
        case .sortTypeMismatch: return "Type mismatch when comparing values \(token) in order-by clause"
        case .sortNotComparable: return "The expressions within an order-by clause must evaluate to numeric or string values"
        case .comparisonTypeMismatch: return "The values \(token) either side of the operator must be of the same data type"
        case .comparisonNotComparable: return "The expressions either side of operator \(token) must evaluate to numeric or string values"
        case .transformUpdateNotObject: return "The insert/update clause of the transform expression must evaluate to an object: \(token)"
        case .transformDeleteNotStrings: return "The delete clause of the transform expression must evaluate to a string or array of strings: \(token)"
        case .transformCloneOverridden:
            return
                "The transform expression clones the input object using the $clone() function. This has been overridden in the current scope by a non-function."
        case .rangeTooLarge: return "The size of the sequence allocated by the range operator (..) must not exceed 1e7. Attempted to allocate \(token)."
        case .stringOfNonFinite: return "Attempting to invoke string function on Infinity or NaN"
        case .replaceEmptyPattern: return "Second argument of replace function cannot be an empty string"
        case .replaceLimitNegative: return "Fourth argument of replace function must evaluate to a positive number"
        case .replacementNotString: return "Attempted to replace a matched string with a non-string value"
        case .splitLimitNegative: return "Third argument of split function must evaluate to a positive number"
        case .notANumber: return "Unable to cast value to a number: \(token)"
        case .matchLimitNegative: return "Third argument of match function must evaluate to a positive number"
        case .reduceFunctionArity: return "The second argument of reduce function must be a function with at least two arguments"
        case .sqrtNegative: return "The sqrt function cannot be applied to a negative number: \(token)"
        case .powerNotRepresentable: return "The power function has resulted in a value that cannot be represented as a JSON number: base=\(token)"
        case .sortNeedsComparator:
            return
                "The single argument form of the sort function can only be applied to an array of strings or an array of numbers.  Use the second argument to specify a comparison function"
        case .pictureTooManyParts: return "The picture string must only contain a maximum of two sub-pictures"
        case .pictureDecimalSeparators: return "The sub-picture must not contain more than one instance of the 'decimal-separator' character"
        case .picturePercentTwice: return "The sub-picture must not contain more than one instance of the 'percent' character"
        case .picturePerMilleTwice: return "The sub-picture must not contain more than one instance of the 'per-mille' character"
        case .picturePercentAndPerMille: return "The sub-picture must not contain both a 'percent' and a 'per-mille' character"
        case .pictureNoDigits:
            return
                "The mantissa part of a sub-picture must contain at least one character that is either an 'optional digit character' or a member of the 'decimal digit family'"
        case .picturePassiveBetweenActive:
            return
                "The sub-picture must not contain a passive character that is preceded by an active character and that is followed by another active character"
        case .pictureGroupingNextToDecimal:
            return "The sub-picture must not contain a 'grouping-separator' character that appears adjacent to a 'decimal-separator' character"
        case .pictureGroupingAtEnd: return "The sub-picture must not contain a 'grouping-separator' at the end of the integer part"
        case .pictureAdjacentGroupings: return "The sub-picture must not contain two adjacent instances of the 'grouping-separator' character"
        case .pictureIntegerAfterOptional:
            return
                "The integer part of the sub-picture must not contain a member of the 'decimal digit family' that is followed by an instance of the 'optional digit character'"
        case .pictureFractionAfterOptional:
            return
                "The fractional part of the sub-picture must not contain an instance of the 'optional digit character' that is followed by a member of the 'decimal digit family'"
        case .pictureExponentWithPercent:
            return "A sub-picture that contains a 'percent' or 'per-mille' character must not contain a character treated as an 'exponent-separator'"
        case .pictureExponentDigits:
            return "The exponent part of the sub-picture must comprise only of one or more characters that are members of the 'decimal digit family'"
        case .radixOutOfRange: return "The radix of the formatBase function must be between 2 and 36.  It was given \(token)"
        case .notISOTimestamp: return "The argument of the toMillis function must be an ISO 8601 formatted timestamp. Given \(token)"
        case .evalSyntax: return "Syntax error in expression passed to function eval: \(token)"
        case .evalDynamic: return "Dynamic error evaluating the expression passed to function eval: \(token)"
        case .pictureDecimalDigitFamilies: return "In a decimal digit pattern, all digits must be from the same decimal group"
        case .pictureUnknownComponent: return "Unknown component specifier \(token) in date/time picture string"
        case .pictureComponentNotSupported: return "The 'name' modifier can only be applied to months and days in the date/time picture string, not \(token)"
        case .pictureNameTooLong: return "The timezone integer format specifier cannot have more than four digits"
        case .pictureUnterminated: return "No matching closing bracket ']' in date/time picture string"
        case .timezoneMissing: return "The date/time picture string is missing specifiers required to parse the timestamp"
        case .userError: return token.isEmpty ? "$error() function evaluated" : token
        case .singleMoreThanOne: return "The $single() function expected exactly 1 matching result.  Instead it matched more."
        case .singleNone: return "The $single() function expected exactly 1 matching result.  Instead it matched 0."
        case .malformedURL: return "Malformed URL passed to $\(token)()"
        case .assertionFailed: return token.isEmpty ? "$assert() statement failed" : token
        case .valueTooLarge:
            return "The value built (\(token)) exceeds the evaluation's limits on values "
                + "(EvaluationLimits.maximumValueSize, maximumValueNesting and maximumElementsProduced)"
        case .notBinaryString:
            return "$base64encode encodes characters U+0000 to U+00FF, one byte each; \(token) is beyond"
        case .dateOutOfRange: return "The instant \(token) is outside the range of dates (within 8.64e15 milliseconds of 1970-01-01)"
        case .depthExceeded: return "Stack overflow error: Check for non-terminating recursive function.  Consider rewriting as tail-recursive."
        }
    }
}
