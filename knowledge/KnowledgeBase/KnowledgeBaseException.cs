namespace ExportCenter.Knowledge.KnowledgeBase;

/// <summary>A knowledge-base file is broken. The message names the file, the entry and the field.</summary>
public sealed class KnowledgeBaseException : Exception
{
    /// <summary>Creates the error for one or more problems.</summary>
    public KnowledgeBaseException(IReadOnlyList<KnowledgeBaseProblem> problems)
        : base(Describe(problems))
    {
        Problems = problems;
    }

    /// <summary>Creates the error with a plain message.</summary>
    public KnowledgeBaseException(string message)
        : base(message)
    {
        Problems = [];
    }

    /// <summary>Creates the error with a plain message and its cause.</summary>
    public KnowledgeBaseException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [];
    }

    /// <summary>Creates the error with no detail.</summary>
    public KnowledgeBaseException()
        : this("The knowledge base is broken.")
    {
    }

    /// <summary>Every problem found.</summary>
    public IReadOnlyList<KnowledgeBaseProblem> Problems { get; }

    private static string Describe(IReadOnlyList<KnowledgeBaseProblem> problems) =>
        $"The knowledge base has {problems.Count} error(s):" + Environment.NewLine +
        string.Join(Environment.NewLine, problems.Select(p => "  " + p));
}

/// <summary>One problem in a knowledge-base file.</summary>
/// <param name="File">The file, relative to the knowledge folder.</param>
/// <param name="Entry">The entry (organisation or topic id, or a list name).</param>
/// <param name="Field">The field, as a path such as <c>answer.en</c>.</param>
/// <param name="Message">What is wrong.</param>
public sealed record KnowledgeBaseProblem(string File, string Entry, string Field, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{File}: entry '{Entry}', field '{Field}': {Message}";
}
