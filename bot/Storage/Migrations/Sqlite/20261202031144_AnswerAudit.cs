using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ExportCenter.Bot.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AnswerAudit : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AnswerRecords",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    ChannelId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ConversationId = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Action = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Decision = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    TopicId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Facet = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    OrganisationId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Language = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    KnowledgeRevision = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Confidence = table.Column<float>(type: "REAL", nullable: true),
                    SecondTopicId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    SecondScore = table.Column<float>(type: "REAL", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AnswerRecords", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "UnansweredQuestions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    ChannelId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ConversationId = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    TopicId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Language = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UnansweredQuestions", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AnswerRecords_At",
                table: "AnswerRecords",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_AnswerRecords_ChannelId_ConversationId_At",
                table: "AnswerRecords",
                columns: new[] { "ChannelId", "ConversationId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_UnansweredQuestions_At",
                table: "UnansweredQuestions",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_UnansweredQuestions_ChannelId_ConversationId",
                table: "UnansweredQuestions",
                columns: new[] { "ChannelId", "ConversationId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AnswerRecords");

            migrationBuilder.DropTable(
                name: "UnansweredQuestions");
        }
    }
}
